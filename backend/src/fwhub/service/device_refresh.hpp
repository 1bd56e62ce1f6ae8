// "Refresh device info": reads model, board name, release and free memory of a device over SSH
// and stores them on the device (or why it could not).
#pragma once

#include <string>

#include "fwhub/common/config.hpp"
#include "fwhub/common/secret_box.hpp"
#include "fwhub/domain/upgrade/device_session.hpp"
#include "fwhub/domain/upgrade/upgrade_store.hpp"

namespace fwhub::service {

class DeviceRefresh {
 public:
  DeviceRefresh(domain::upgrade::UpgradeStore& store, domain::upgrade::DeviceConnector& connector,
                const UpgradeConfig& config, const SecretBox* secrets)
      : store_(store), connector_(connector), config_(config), secrets_(secrets) {}

  // Never throws for device trouble: the reason is stored as the device's refresh_error.
  void refresh(const std::string& device_id);

 private:
  domain::upgrade::UpgradeStore& store_;
  domain::upgrade::DeviceConnector& connector_;
  const UpgradeConfig& config_;
  const SecretBox* secrets_;
};

}  // namespace fwhub::service
