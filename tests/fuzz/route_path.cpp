// Fuzzes path matching against the real route table (make_routes): method from the first byte,
// the rest is the raw path. A match lists its allowed methods sorted and including the method it
// found a handler for, has non-empty parameters, and the path with every segment percent-encoded
// again matches the same way.
#include <algorithm>
#include <array>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/api/routes.hpp"
#include "fwhub/common/status.hpp"

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
  static const fwhub::api::Router router = fwhub::api::make_routes();
  static const std::array<std::string, 8> kMethods = {"GET",   "HEAD",   "POST",    "PUT",
                                                      "PATCH", "DELETE", "OPTIONS", "get"};
  if (size == 0) {
    return 0;
  }
  const std::string& method = kMethods.at(data[0] % kMethods.size());
  const std::string path(
      fwhub::fuzz::as_text(data + 1, size - 1));  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  fwhub::api::RouteMatch match;
  try {
    match = router.match(method, path);
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kNotFound || error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(!match.allowed.empty() && std::is_sorted(match.allowed.begin(), match.allowed.end()));
  FUZZ_CHECK(std::adjacent_find(match.allowed.begin(), match.allowed.end()) == match.allowed.end());
  const std::string wanted = method == "HEAD" ? "GET" : method;
  FUZZ_CHECK((match.handler != nullptr) ==
             (std::find(match.allowed.begin(), match.allowed.end(), wanted) != match.allowed.end()));
  for (const auto& [name, value] : match.params) {
    FUZZ_CHECK(!name.empty() && !value.empty());
  }
  std::string encoded;
  for (const auto& segment : fwhub::api::split_path(path)) {
    encoded += "/" + encode(*fwhub::api::percent_decode(segment, false));
  }
  const auto again = router.match(method, encoded);
  FUZZ_CHECK(again.allowed == match.allowed && again.params == match.params);
  FUZZ_CHECK((again.handler == nullptr) == (match.handler == nullptr));
  return 0;
}
