// The "upgrade" job kind: runs one upgrade operation (service::UpgradeEngine) over SSH; its
// reboot wait and reconnect attempts return the job to the queue with a delay.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

JobKind make_upgrade_job(const Config& config);

}  // namespace fwhub::scheduler
