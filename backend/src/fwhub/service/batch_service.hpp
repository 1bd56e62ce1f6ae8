// Mass upgrades from the API: the dry run, starting a batch with its options (schedule,
// persistence, staged rollout, concurrency) validated field by field, and cancel/pause/resume,
// each with the access rules of the build's organization.
#pragma once

#include <optional>
#include <string>

#include "fwhub/common/config.hpp"
#include "fwhub/domain/fleet/input.hpp"
#include "fwhub/domain/upgrade/batch_store.hpp"
#include "fwhub/service/fleet_service.hpp"

namespace fwhub::service {

// Upstream's answer when a batch would have no device.
inline constexpr const char* kNoDevicesFound =
    "No devices found matching the specified filters. Please adjust your group and/or location filters.";

class BatchService {
 public:
  BatchService(FleetService& fleet, domain::upgrade::BatchStore& batches, const UpgradeConfig& config)
      : fleet_(fleet), batches_(batches), config_(config) {}

  domain::upgrade::DryRun dry_run(const domain::fleet::Principal& who, const std::string& build_id,
                                  const std::string& group, const std::string& location);
  // The build's organization (nullopt: shared) when `who` may start batches of it; 404 when the
  // build is not visible, 403 when it is but the role does not allow it. The API calls it before
  // reading the body; start calls it again.
  std::optional<std::string> authorize(const domain::fleet::Principal& who, const std::string& build_id);
  // The new batch's id. Invalid fields → ValidationError; no device → Error kFailedPrecondition
  // with kNoDevicesFound. options_text: the raw "upgrade_options" object ("" = defaults).
  std::string start(const domain::fleet::Principal& who, const std::string& build_id, domain::fleet::Input input,
                    const std::string& options_text);
  // kNotFound (also for a shared build's batch unless `who` is a superuser), or kFailedPrecondition (409) when the
  // batch's state does not allow the action.
  void act(const domain::fleet::Principal& who, const std::string& batch_id, domain::upgrade::BatchAction action);

 private:
  domain::upgrade::BatchSelection selection(const domain::fleet::Principal& who, const std::string& build_id,
                                            std::string group, std::string location);

  FleetService& fleet_;
  domain::upgrade::BatchStore& batches_;
  const UpgradeConfig& config_;
};

}  // namespace fwhub::service
