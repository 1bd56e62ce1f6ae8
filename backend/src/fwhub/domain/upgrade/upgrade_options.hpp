// sysupgrade flags an operator may choose (upstream's upgrade_options) and the command they make.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fwhub::domain::upgrade {

// In sysupgrade's order: c keep changed /etc (default on), o keep changed /, n keep nothing,
// u skip unchanged files, p skip partition table, k keep installed packages, F force.
struct UpgradeOptions {
  std::vector<std::pair<char, bool>> flags = {{'c', true},  {'o', false}, {'n', false}, {'u', false},
                                              {'p', false}, {'k', false}, {'F', false}};
  [[nodiscard]] bool get(char flag) const;
};

// Reads {"c": true, "n": false, …}; "" or "{}" = defaults. Throws Error kInvalidArgument on an
// unknown flag, a non-boolean, or "n" together with "c" or "o" (upstream's message).
UpgradeOptions parse_upgrade_options(std::string_view json);
std::string options_json(const UpgradeOptions& options);

// "/sbin/sysupgrade -v -c /tmp/image.bin": -v, then the flags that are on.
std::string sysupgrade_command(const UpgradeOptions& options, const std::string& image_path);

}  // namespace fwhub::domain::upgrade
