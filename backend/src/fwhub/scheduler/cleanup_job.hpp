// The periodic "cleanup" job kind: deletes expired data (finished jobs past their retention).
#pragma once

#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

JobKind make_cleanup_job(std::chrono::hours job_retention, std::chrono::seconds period);

}  // namespace fwhub::scheduler
