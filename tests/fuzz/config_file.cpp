// Fuzzes the configuration file (TOML): refused with Error(kInvalidArgument) only; what is
// accepted keeps every checked value within its bounds and choices.
#include <set>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/common/config.hpp"
#include "fwhub/common/status.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fwhub::Config config;
  try {
    config = fwhub::parse_config(std::string(fwhub::fuzz::as_text(data, size)), "fuzz.toml");
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  FUZZ_CHECK(config.database.port >= 1 && config.database.port <= 65535);
  FUZZ_CHECK(config.api.workers >= 1 && config.api.workers <= 256 && config.api.threads >= 1);
  FUZZ_CHECK(config.api.max_body_bytes >= 1 && config.scheduler.lease_seconds >= 2);
  FUZZ_CHECK(config.build.max_parallel >= 1 && config.upgrade.max_parallel >= 1);
  FUZZ_CHECK(config.fleet.max_image_bytes >= 0 && config.fleet.session_hours >= 1);
  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
  FUZZ_CHECK(kLevels.contains(config.log.level));
  FUZZ_CHECK(config.fleet.secure_cookies == "auto" || config.fleet.secure_cookies == "always" ||
             config.fleet.secure_cookies == "never");
  FUZZ_CHECK(config.fleet.secret_key.empty() || config.fleet.secret_key.size() == 64);
  FUZZ_CHECK(config.api.socket_mode.size() == 3 || config.api.socket_mode.size() == 4);
  FUZZ_CHECK(config.catalog.upstream_url.empty() || config.catalog.upstream_url.starts_with("http"));
  std::set<std::string> names;
  for (const auto& branch : config.catalog.branches) {
    FUZZ_CHECK(names.insert(branch.name).second);
  }
  return 0;
}
