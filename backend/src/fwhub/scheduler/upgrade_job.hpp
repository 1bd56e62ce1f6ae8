// The "upgrade" job kind: runs one upgrade operation (service::UpgradeEngine) over SSH; its
// reboot wait and reconnect attempts return the job to the queue with a delay.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

JobKind make_upgrade_job(const Config& config);
// "device_refresh": reads a device's model, board, release and free memory over SSH.
JobKind make_device_refresh_job(const Config& config);

}  // namespace fwhub::scheduler
