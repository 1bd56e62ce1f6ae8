// The job kind that starts a batch's operations within its limits and watches its first wave.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

// "batch_dispatch": one job per open batch (active key "batch:<id>"), run again as a deferral
// every upgrade.dispatch_interval_seconds, or earlier when an operation of the batch ends.
JobKind make_batch_dispatch_job(const Config& config);

}  // namespace fwhub::scheduler
