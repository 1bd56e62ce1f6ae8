// How to reach a device of an operation plan over SSH: its address, the credentials opened with
// the server key, the pinned host key, and the configured timeouts.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/common/secret_box.hpp"
#include "fwhub/domain/upgrade/device_session.hpp"
#include "fwhub/domain/upgrade/upgrade_store.hpp"

namespace fwhub::service {

// accept_new_key: connect whatever host key the device offers (it is pinned afterwards).
domain::upgrade::SshTarget ssh_target(const domain::upgrade::OperationPlan& plan, const UpgradeConfig& config,
                                      const SecretBox& secrets, bool accept_new_key);

}  // namespace fwhub::service
