// Starting and cancelling device upgrades from the API, with access checks and validated
// upgrade options.
#pragma once

#include <string>

#include "fwhub/common/config.hpp"
#include "fwhub/domain/upgrade/upgrade_store.hpp"
#include "fwhub/service/fleet_service.hpp"

namespace fwhub::service {

class UpgradeService {
 public:
  UpgradeService(FleetService& fleet, domain::upgrade::UpgradeQueue& queue, const UpgradeConfig& config)
      : fleet_(fleet), queue_(queue), config_(config) {}

  // Queues an upgrade of the device to the image. options_json: sysupgrade flags ("" = defaults);
  // invalid → ValidationError on "upgrade_options". Another active operation → kAlreadyExists.
  std::string start(const domain::fleet::Principal& who, const std::string& device_id, const std::string& image_id,
                    const std::string& options_json);
  // Throws kAlreadyExists (409) when the device has an operation in progress: checked before a
  // device firmware change that would start one, so that a refused change changes nothing.
  void check_idle(const std::string& device_id) {
    if (queue_.active(device_id)) {
      throw Error(Code::kAlreadyExists, "another upgrade operation is in progress on this device");
    }
  }
  // Queues "refresh device info" for a device the principal may operate.
  void refresh(const domain::fleet::Principal& who, const std::string& device_id);
  // kNotFound, or kFailedPrecondition (409) when it finished or is reflashing already.
  void cancel(const domain::fleet::Principal& who, const std::string& operation_id);

 private:
  FleetService& fleet_;
  domain::upgrade::UpgradeQueue& queue_;
  const UpgradeConfig& config_;
};

}  // namespace fwhub::service
