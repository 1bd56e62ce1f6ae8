// Operators and administrators of the device's organization may start and cancel upgrades.
#include "fwhub/service/upgrade_service.hpp"

#include "fwhub/domain/fleet/validation.hpp"
#include "fwhub/domain/upgrade/upgrade_options.hpp"

namespace fwhub::service {

std::string UpgradeService::start(const domain::fleet::Principal& who, const std::string& device_id,
                                  const std::string& image_id, const std::string& options_json) {
  const auto organization = fleet_.readable(who, domain::fleet::Table::kDevice, device_id).value_or("");
  if (!domain::fleet::can_operate(who, organization)) {
    throw Error(Code::kNotFound, "not found");
  }
  std::string options;
  try {
    options = domain::upgrade::options_json(domain::upgrade::parse_upgrade_options(options_json));
  } catch (const Error& error) {
    throw domain::fleet::ValidationError("upgrade_options", error.what());
  }
  return queue_.start(device_id, organization, image_id, options,
                      {config_.max_retries + 1, config_.max_parallel_per_organization});
}

void UpgradeService::refresh(const domain::fleet::Principal& who, const std::string& device_id) {
  const auto organization = fleet_.readable(who, domain::fleet::Table::kDevice, device_id).value_or("");
  if (!domain::fleet::can_operate(who, organization)) {
    throw Error(Code::kNotFound, "not found");
  }
  // One at a time per device: refreshes are how far a user can make the scheduler reach.
  if (!queue_.enqueue_refresh(device_id)) {
    throw Error(Code::kAlreadyExists, "A refresh of this device is already queued or running.");
  }
}

void UpgradeService::cancel(const domain::fleet::Principal& who, const std::string& operation_id) {
  const auto organization = fleet_.readable(who, domain::fleet::Table::kOperation, operation_id).value_or("");
  if (!domain::fleet::can_operate(who, organization)) {
    throw Error(Code::kNotFound, "not found");
  }
  switch (queue_.cancel(operation_id)) {
    case domain::upgrade::CancelResult::kCancelled:
      return;
    case domain::upgrade::CancelResult::kNotFound:
      throw Error(Code::kNotFound, "not found");
    case domain::upgrade::CancelResult::kFinished:
      throw Error(Code::kFailedPrecondition, "the operation has already ended");
    case domain::upgrade::CancelResult::kReflashing:
      throw Error(Code::kFailedPrecondition, "the device is being reflashed: the operation can no longer be cancelled");
  }
}

}  // namespace fwhub::service
