// Composition of the batch dispatcher with MariaDB for one job run.
#include "fwhub/scheduler/batch_dispatch_job.hpp"

#include "fwhub/db/batch_repository.hpp"

namespace fwhub::scheduler {

JobKind make_batch_dispatch_job(const Config& config) {
  JobKind kind;
  kind.name = "batch_dispatch";
  kind.max_attempts = 1000;  // a database outage must not end a batch's dispatching
  kind.backoff = {std::chrono::seconds(1), std::chrono::seconds(30), 2.0, 0.25};
  kind.run = [&config](JobContext& context) -> Status {
    const std::string batch_id = context.payload_string("batch_id");
    db::Connection connection(config.database);
    db::BatchRepository batches(connection, std::chrono::seconds(config.upgrade.dispatch_interval_seconds));
    const auto next =
        batches.dispatch(batch_id, {config.upgrade.max_parallel_per_organization, config.upgrade.max_retries + 1});
    if (next) {
      context.defer(*next);
    }
    return Status::ok();
  };
  return kind;
}

}  // namespace fwhub::scheduler
