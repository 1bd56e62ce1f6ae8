// Fuzzes upstream's .versions.json: malformed documents are refused with Error only; an accepted
// one, written out again, parses to the same fields.
#include "fuzz/fuzz_check.hpp"
#include "fuzz/upstream_json.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/upstream_documents.hpp"

using fwhub::domain::catalog::parse_versions_file;
using fwhub::domain::catalog::VersionsFile;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  VersionsFile file;
  try {
    file = parse_versions_file(fwhub::fuzz::as_text(data, size));
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  fwhub::fuzz::JsonText json;
  json.start_object()
      .key("stable_version")
      .string(file.stable_version)
      .key("oldstable_version")
      .string(file.oldstable_version)
      .key("upcoming_version")
      .string(file.upcoming_version)
      .key("versions_list")
      .strings(file.versions_list)
      .end_object();
  const VersionsFile again = parse_versions_file(json.text());
  FUZZ_CHECK(again.stable_version == file.stable_version && again.oldstable_version == file.oldstable_version);
  FUZZ_CHECK(again.upcoming_version == file.upcoming_version && again.versions_list == file.versions_list);
  return 0;
}
