// Fuzzes upstream's .targets.json: malformed documents are refused with Error only; every accepted
// key is "target/subtarget", and the map written out again parses to the same map.
#include <algorithm>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/upstream_json.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/upstream_documents.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::map<std::string, std::string> targets;
  try {
    targets = fwhub::domain::catalog::parse_targets_file(fwhub::fuzz::as_text(data, size));
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  fwhub::fuzz::JsonText json;
  json.start_object();
  for (const auto& [target, arch] : targets) {
    FUZZ_CHECK(std::count(target.begin(), target.end(), '/') == 1);
    json.key(target).string(arch);
  }
  json.end_object();
  FUZZ_CHECK(fwhub::domain::catalog::parse_targets_file(json.text()) == targets);
  return 0;
}
