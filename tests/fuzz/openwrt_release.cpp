// Fuzzes /etc/openwrt_release as devices print it: what is read, written out again as KEY='value'
// lines, reads the same; no key or value spans lines.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/domain/upgrade/device_output.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto release = fwhub::domain::upgrade::parse_openwrt_release(fwhub::fuzz::as_text(data, size));
  std::string text;
  for (const auto& [key, value] : release) {
    FUZZ_CHECK(key.find('\n') == std::string::npos && value.find('\n') == std::string::npos);
    text += key + "='" + value + "'\n";
  }
  FUZZ_CHECK(fwhub::domain::upgrade::parse_openwrt_release(text) == release);
  return 0;
}
