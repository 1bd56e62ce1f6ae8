// Upgrade option parsing and the sysupgrade command line.
#include "fwhub/domain/upgrade/upgrade_options.hpp"

#include <rapidjson/document.h>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::domain::upgrade {

bool UpgradeOptions::get(char flag) const {
  for (const auto& [name, on] : flags) {
    if (name == flag) {
      return on;
    }
  }
  return false;
}

UpgradeOptions parse_upgrade_options(std::string_view json) {
  UpgradeOptions options;
  if (json.empty()) {
    return options;
  }
  rapidjson::Document document;
  if (!parse_json(document, json).empty() || !document.IsObject()) {
    throw Error(Code::kInvalidArgument, "upgrade_options must be a JSON object of sysupgrade flags");
  }
  for (const auto& member : document.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    bool known = false;
    for (auto& [flag, on] : options.flags) {
      if (name.size() == 1 && name[0] == flag) {
        if (!member.value.IsBool()) {
          throw Error(Code::kInvalidArgument, "upgrade option \"" + name + "\" must be true or false");
        }
        on = member.value.GetBool();
        known = true;
      }
    }
    if (!known) {
      throw Error(Code::kInvalidArgument, "unknown upgrade option \"" + name + "\" (known: c, o, n, u, p, k, F)");
    }
  }
  if (options.get('n') && (options.get('o') || options.get('c'))) {
    throw Error(Code::kInvalidArgument, options.get('o') ? "The \"-n\" and \"-o\" options cannot be used together"
                                                         : "The \"-n\" and \"-c\" options cannot be used together");
  }
  return options;
}

std::string options_json(const UpgradeOptions& options) {
  std::string json = "{";
  for (const auto& [flag, on] : options.flags) {
    json += std::string(json.size() > 1 ? "," : "") + "\"" + flag + "\":" + (on ? "true" : "false");
  }
  return json + "}";
}

std::string sysupgrade_command(const UpgradeOptions& options, const std::string& image_path) {
  std::string command = "/sbin/sysupgrade -v";
  for (const auto& [flag, on] : options.flags) {
    if (on) {
      command += std::string(" -") + flag;
    }
  }
  return command + " " + image_path;
}

}  // namespace fwhub::domain::upgrade
