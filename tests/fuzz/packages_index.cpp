// Fuzzes opkg Packages indexes (target and feeds): malformed stanzas are refused with Error only;
// every entry has a non-empty name and version on one line, and entries written out again as
// stanzas read the same.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/upstream_documents.hpp"

using fwhub::domain::catalog::PackageEntry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<PackageEntry> entries;
  try {
    entries = fwhub::domain::catalog::parse_packages_index(fwhub::fuzz::as_text(data, size));
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  std::string index;
  bool writable = true;  // a value ending in CR loses it when read again: no round trip for those
  for (const auto& entry : entries) {
    FUZZ_CHECK(!entry.name.empty() && !entry.version.empty());
    FUZZ_CHECK(entry.name.find('\n') == std::string::npos && entry.version.find('\n') == std::string::npos);
    writable = writable && !entry.name.ends_with('\r') && !entry.version.ends_with('\r');
    index += "Package: " + entry.name + "\nVersion: " + entry.version + "\n\n";
  }
  if (writable) {
    const auto again = fwhub::domain::catalog::parse_packages_index(index);
    FUZZ_CHECK(again.size() == entries.size());
    for (std::size_t i = 0; i < again.size(); ++i) {
      FUZZ_CHECK(again[i].name == entries[i].name && again[i].version == entries[i].version);
    }
  }
  return 0;
}
