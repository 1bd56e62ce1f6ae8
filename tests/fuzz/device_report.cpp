// Fuzzes the output of "refresh device info" (model, board name, openwrt_release, meminfo between
// marker lines): model and board are one line each, and the facts written out again as such a
// report read the same (unless a value holds the marker itself).
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/domain/upgrade/device_output.hpp"

using fwhub::domain::upgrade::kReportMarker;
using fwhub::domain::upgrade::parse_device_report;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto facts = parse_device_report(fwhub::fuzz::as_text(data, size));
  if (!facts) {
    return 0;
  }
  FUZZ_CHECK(facts->model.find_first_of("\r\n") == std::string::npos);
  FUZZ_CHECK(facts->board_name.find_first_of("\r\n") == std::string::npos);
  FUZZ_CHECK(facts->os.find('\n') == std::string::npos);
  for (const std::string* value : {&facts->model, &facts->board_name, &facts->os}) {
    if (value->find(kReportMarker) != std::string::npos) {
      return 0;
    }
  }
  const std::string marker = "\n" + std::string(kReportMarker) + "\n";
  std::string report =
      facts->model + marker + facts->board_name + marker + "DISTRIB_DESCRIPTION='" + facts->os + "'" + marker;
  if (facts->memory_free_kb) {
    report += "MemAvailable: " + std::to_string(*facts->memory_free_kb) + " kB\n";
  }
  const auto again = parse_device_report(report);
  FUZZ_CHECK(again.has_value());
  FUZZ_CHECK(again->model == facts->model && again->board_name == facts->board_name && again->os == facts->os);
  FUZZ_CHECK(again->memory_free_kb == facts->memory_free_kb);
  return 0;
}
