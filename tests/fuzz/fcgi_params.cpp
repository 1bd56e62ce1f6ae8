// Fuzzes what the API makes of a FastCGI request's parameters: the input is a FastCGI name-value
// pair stream (1- or 4-byte lengths, as nginx sends them), turned into the "NAME=value"
// environment libfcgi hands over, then read by params_from_env, checked_content_length and
// request_from_cgi. Properties: every '=' entry is a parameter, the Content-Length accepted is
// within the limit, the path is never empty and carries no query, header names are lower case.
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/common/status.hpp"

namespace {

constexpr std::int64_t kMaxBody = std::int64_t{1024} * 1024;

// One length of the FastCGI encoding: a byte below 0x80, or four bytes with the top bit set.
bool read_length(std::string_view& in, std::size_t& length) {
  if (in.empty()) {
    return false;
  }
  const auto first = static_cast<unsigned char>(in[0]);
  if ((first & 0x80U) == 0) {
    length = first;
    in.remove_prefix(1);
    return true;
  }
  if (in.size() < 4) {
    return false;
  }
  length = ((first & 0x7fU) << 24U) | (static_cast<unsigned char>(in[1]) << 16U) |
           (static_cast<unsigned char>(in[2]) << 8U) | static_cast<unsigned char>(in[3]);
  in.remove_prefix(4);
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fwhub::fuzz::as_text(data, size);
  std::vector<std::string> environment;
  std::size_t name_length = 0;
  std::size_t value_length = 0;
  while (read_length(in, name_length) && read_length(in, value_length) && name_length + value_length <= in.size()) {
    // libfcgi builds "name=value" C strings, so an embedded NUL ends the entry there.
    const std::string entry =
        std::string(in.substr(0, name_length)) + "=" + std::string(in.substr(name_length, value_length));
    environment.emplace_back(entry.c_str());
    in.remove_prefix(name_length + value_length);
  }
  std::vector<const char*> envp;
  envp.reserve(environment.size() + 1);
  for (const auto& entry : environment) {
    envp.push_back(entry.c_str());
  }
  envp.push_back(nullptr);
  const fwhub::api::CgiParams params = fwhub::api::params_from_env(envp.data());
  const auto with_eq = std::count_if(environment.begin(), environment.end(),
                                     [](const std::string& entry) { return entry.find('=') != std::string::npos; });
  FUZZ_CHECK(params.size() == static_cast<std::size_t>(with_eq));
  try {
    const std::int64_t length = fwhub::api::checked_content_length(params, kMaxBody);
    FUZZ_CHECK(length >= 0 && length <= kMaxBody);
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument || error.code() == fwhub::Code::kPayloadTooLarge);
  }
  try {
    const fwhub::api::Request request = fwhub::api::request_from_cgi(params, "body");
    FUZZ_CHECK(!request.path.empty() && request.path.find('?') == std::string::npos);
    for (const auto& [name, value] : request.headers) {
      FUZZ_CHECK(
          std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::isupper(c) != 0 || c == '_'; }));
    }
    FUZZ_CHECK(request.body == "body");
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
  }
  return 0;
}
