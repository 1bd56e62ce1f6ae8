// One SSH session, one command printing the four sources separated by marker lines.
#include "fwhub/service/device_refresh.hpp"

#include "fwhub/common/status.hpp"
#include "fwhub/domain/upgrade/device_output.hpp"
#include "fwhub/service/ssh_target.hpp"

namespace fwhub::service {

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
    const auto session = connect_device(connector_, *plan, config_, *secrets_, false);
    if (plan->host_key.empty()) {
      store_.pin_host_key(device_id, session->host_key());
    }
    store_.record_connection(plan->connection_id, true, "");
    const std::string marker = "echo " + std::string(domain::upgrade::kReportMarker);
    const auto result = session->run("cat /tmp/sysinfo/model; " + marker + "; cat /tmp/sysinfo/board_name; " + marker +
                                         "; cat /etc/openwrt_release; " + marker + "; cat /proc/meminfo",
                                     std::chrono::seconds(config_.ssh_command_timeout_seconds));
    const auto facts = domain::upgrade::parse_device_report(result.out);
    if (!facts) {
      store_.save_refresh_error(device_id, "The device's answer was not understood.");
      return;
    }
    store_.save_device_facts(device_id, *facts);
  } catch (const Error& error) {
    store_.record_connection(plan->connection_id, false, error.what());
    store_.save_refresh_error(device_id, error.what());
  }
}

}  // namespace fwhub::service
