// The SSH target of a plan; the secret is opened here, after the credential rules, and lives only
// in the target.
#include "fwhub/service/ssh_target.hpp"

#include <spdlog/spdlog.h>

#include "fwhub/common/status.hpp"

namespace fwhub::service {

domain::upgrade::SshTarget ssh_target(const domain::upgrade::OperationPlan& plan, const UpgradeConfig& config,
                                      const SecretBox& secrets, bool accept_new_key) {
  using std::chrono::seconds;
  if (!plan.credential_refusal.empty()) {
    throw Error(Code::kFailedPrecondition, plan.credential_refusal);
  }
  domain::upgrade::SshTarget target;
  target.host = plan.device_address;
  target.port = plan.device_port;
  target.username = plan.username;
  const std::string secret = secrets.open(plan.sealed_secret);
  (plan.secret_kind == "private_key" ? target.private_key : target.password) = secret;
  target.pinned_host_key = accept_new_key ? "" : plan.host_key;
  target.connect_timeout = seconds(config.ssh_connect_timeout_seconds);
  target.auth_timeout = seconds(config.ssh_auth_timeout_seconds);
  target.banner_timeout = seconds(config.ssh_banner_timeout_seconds);
  target.command_timeout = seconds(config.ssh_command_timeout_seconds);
  return target;
}

std::unique_ptr<domain::upgrade::DeviceSession> connect_device(domain::upgrade::DeviceConnector& connector,
                                                               const domain::upgrade::OperationPlan& plan,
                                                               const UpgradeConfig& config, const SecretBox& secrets,
                                                               bool accept_new_key) {
  const auto target = ssh_target(plan, config, secrets, accept_new_key);
  try {
    return connector.connect(target);
  } catch (const Error& error) {
    if (error.code() != Code::kUnavailable) {
      throw;
    }
    spdlog::warn("device {}: {}", plan.device_id, error.what());
    throw Error(Code::kUnavailable, kCannotConnect);
  }
}

}  // namespace fwhub::service
