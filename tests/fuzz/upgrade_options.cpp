// Fuzzes upgrade_options (JSON an operator sends with an upgrade): refused with Error only; the
// options read, written out and read again are the same, and the command never keeps and drops
// the configuration at once.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/upgrade/upgrade_options.hpp"

using namespace fwhub::domain::upgrade;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  UpgradeOptions options;
  try {
    options = parse_upgrade_options(fwhub::fuzz::as_text(data, size));
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  const std::string json = options_json(options);
  const UpgradeOptions again = parse_upgrade_options(json);
  FUZZ_CHECK(again.flags == options.flags && options_json(again) == json);
  FUZZ_CHECK(!(options.get('n') && (options.get('c') || options.get('o'))));
  const std::string command = sysupgrade_command(options, "/tmp/image.bin");
  FUZZ_CHECK(command.starts_with("/sbin/sysupgrade -v ") && command.ends_with(" /tmp/image.bin"));
  return 0;
}
