// Cleanup of expired data.
#include "fwhub/scheduler/cleanup_job.hpp"

#include <spdlog/spdlog.h>

namespace fwhub::scheduler {

JobKind make_cleanup_job(std::chrono::hours job_retention, std::chrono::seconds period) {
  JobKind kind;
  kind.name = "cleanup";
  kind.period = period;
  kind.max_attempts = 3;
  kind.backoff = {std::chrono::seconds(30), std::chrono::minutes(10), 2.0, 0.25};
  kind.run = [job_retention](JobContext& context) {
    const int deleted = context.store().delete_finished_older_than(job_retention);
    spdlog::info("cleanup: deleted {} finished jobs older than {} h", deleted, job_retention.count());
    return Status::ok();
  };
  return kind;
}

}  // namespace fwhub::scheduler
