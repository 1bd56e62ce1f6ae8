// Fuzzes query strings and percent-decoding (QUERY_STRING, path segments): a parsed query,
// encoded again byte by byte, parses to the same pairs; decoding an encoding gives the text back.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/api/request.hpp"

namespace {

std::string encode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[byte >> 4U];
    out += kHex[byte & 0xfU];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fwhub::fuzz::as_text(data, size);
  const auto decoded = fwhub::api::percent_decode(text, true);
  FUZZ_CHECK(!decoded || decoded->size() <= text.size());
  FUZZ_CHECK(fwhub::api::percent_decode(encode(text), false) == std::string(text));
  const auto query = fwhub::api::parse_query(text);
  if (!query) {
    return 0;
  }
  std::string again;
  for (const auto& [key, value] : *query) {
    again += (again.empty() ? "" : "&") + encode(key) + "=" + encode(value);
  }
  const auto reparsed = fwhub::api::parse_query(again);
  FUZZ_CHECK(reparsed.has_value());
  FUZZ_CHECK(*reparsed == *query);
  return 0;
}
