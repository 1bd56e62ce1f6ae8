// Fuzzes upstream's sha256sums: malformed lines are refused with Error only; every checksum read
// is 64 lower-case hex digits, and the list written out again ("<sum> *<file>") reads the same.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/upstream_documents.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::map<std::string, std::string> sums;
  try {
    sums = fwhub::domain::catalog::parse_sha256sums(fwhub::fuzz::as_text(data, size));
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  std::string text;
  for (const auto& [file, sum] : sums) {
    FUZZ_CHECK(sum.size() == 64 && sum.find_first_not_of("0123456789abcdef") == std::string::npos);
    FUZZ_CHECK(file.find('\n') == std::string::npos);
    text += sum + " *" + file + "\n";
  }
  FUZZ_CHECK(fwhub::domain::catalog::parse_sha256sums(text) == sums);
  return 0;
}
