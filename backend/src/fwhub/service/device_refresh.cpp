// One SSH session, one command printing the four sources separated by marker lines.
#include "fwhub/service/device_refresh.hpp"

#include "fwhub/common/status.hpp"
#include "fwhub/domain/upgrade/device_output.hpp"
#include "fwhub/service/ssh_target.hpp"

namespace fwhub::service {
namespace {

constexpr std::string_view kMarker = "--fwhub--\n";

std::string first_line(std::string_view text) {
  const auto end = text.find_first_of("\r\n");
  return std::string(text.substr(0, end));
}

}  // namespace

void DeviceRefresh::refresh(const std::string& device_id) {
  const auto plan = store_.device_plan(device_id);
  if (!plan) {
    return;  // deleted meanwhile
  }
  if (plan->connection_id.empty() || plan->device_address.empty()) {
    store_.save_refresh_error(device_id, "The device has no enabled connection with credentials and an address.");
    return;
  }
  if (secrets_ == nullptr) {
    store_.save_refresh_error(device_id, "The scheduler has no fleet.secret_key to open the device's credentials.");
    return;
  }
  try {
    const auto session = connector_.connect(ssh_target(*plan, config_, *secrets_, false));
    if (plan->host_key.empty()) {
      store_.pin_host_key(device_id, session->host_key());
    }
    store_.record_connection(plan->connection_id, true, "");
    const std::string marker = "echo " + std::string(kMarker.substr(0, kMarker.size() - 1));
    const auto result = session->run("cat /tmp/sysinfo/model; " + marker + "; cat /tmp/sysinfo/board_name; " + marker +
                                         "; cat /etc/openwrt_release; " + marker + "; cat /proc/meminfo",
                                     std::chrono::seconds(config_.ssh_command_timeout_seconds));
    std::vector<std::string_view> parts;
    std::string_view rest(result.out);
    for (auto at = rest.find(kMarker); at != std::string_view::npos; at = rest.find(kMarker)) {
      parts.push_back(rest.substr(0, at));
      rest.remove_prefix(at + kMarker.size());
    }
    parts.push_back(rest);
    if (parts.size() != 4) {
      store_.save_refresh_error(device_id, "The device's answer was not understood.");
      return;
    }
    domain::upgrade::DeviceFacts facts;
    facts.model = first_line(parts[0]);
    facts.board_name = first_line(parts[1]);
    const auto release = domain::upgrade::parse_openwrt_release(parts[2]);
    facts.os = release.contains("DISTRIB_DESCRIPTION") ? release.at("DISTRIB_DESCRIPTION") : "";
    if (const auto bytes = domain::upgrade::available_memory(parts[3])) {
      facts.memory_free_kb = *bytes / 1024;
    }
    store_.save_device_facts(device_id, facts);
  } catch (const Error& error) {
    store_.record_connection(plan->connection_id, false, error.what());
    store_.save_refresh_error(device_id, error.what());
  }
}

}  // namespace fwhub::service
