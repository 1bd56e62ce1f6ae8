// How to reach a device of an operation plan over SSH: its address, the credentials opened with
// the server key (only when the credential rules allow them there), the pinned host key, and the
// configured timeouts; and the connection itself, whose network failures read alike.
#pragma once

#include <memory>

#include "fwhub/common/config.hpp"
#include "fwhub/common/secret_box.hpp"
#include "fwhub/domain/upgrade/device_session.hpp"
#include "fwhub/domain/upgrade/upgrade_store.hpp"

namespace fwhub::service {

// What a failed connection stores for users (refresh_error, connection failure, operation log)
// whatever went wrong before the login: refused, timed out, not SSH, unresolvable. Telling these
// apart would make refreshes a port scanner of the scheduler's network; the scheduler's log keeps
// the details.
inline constexpr const char* kCannotConnect =
    "Could not connect to the device over SSH (the scheduler's log has the details).";

// accept_new_key: connect whatever host key the device offers (it is pinned afterwards).
// Throws Error kFailedPrecondition with the plan's credential_refusal when its credentials must
// not be used at the device's address; the secret is not opened then.
domain::upgrade::SshTarget ssh_target(const domain::upgrade::OperationPlan& plan, const UpgradeConfig& config,
                                      const SecretBox& secrets, bool accept_new_key);

// ssh_target() and connector.connect(); a kUnavailable failure is logged and rethrown as kCannotConnect.
std::unique_ptr<domain::upgrade::DeviceSession> connect_device(domain::upgrade::DeviceConnector& connector,
                                                               const domain::upgrade::OperationPlan& plan,
                                                               const UpgradeConfig& config, const SecretBox& secrets,
                                                               bool accept_new_key);

}  // namespace fwhub::service
