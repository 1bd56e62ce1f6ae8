// Fuzzes /proc/meminfo as devices print it: the free memory found is whole kB, and its kB figure
// is written in the text (a value that overflowed would not be).
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/domain/upgrade/device_output.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fwhub::fuzz::as_text(data, size);
  const auto bytes = fwhub::domain::upgrade::available_memory(text);
  if (bytes) {
    FUZZ_CHECK(*bytes % 1024 == 0);
    FUZZ_CHECK(text.find(std::to_string(*bytes / 1024)) != std::string_view::npos);
  }
  return 0;
}
