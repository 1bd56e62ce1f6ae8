// fwhub-scheduler: claims queued jobs from the database and runs them until SIGTERM.
#include <spdlog/spdlog.h>

#include <csignal>
#include <future>
#include <thread>

#include "fwhub/common/cli.hpp"
#include "fwhub/common/log.hpp"
#include "fwhub/db/job_repository.hpp"
#include "fwhub/db/metrics_repository.hpp"
#include "fwhub/scheduler/batch_dispatch_job.hpp"
#include "fwhub/scheduler/build_job.hpp"
#include "fwhub/scheduler/catalog_sync_job.hpp"
#include "fwhub/scheduler/cleanup_job.hpp"
#include "fwhub/scheduler/fleet_attach_job.hpp"
#include "fwhub/scheduler/scheduler.hpp"
#include "fwhub/scheduler/upgrade_job.hpp"
#include "fwhub/sys/host.hpp"
#include "fwhub/sys/signals.hpp"

namespace {

// A job store with the database connection it owns (one per scheduler thread).
struct OwnedJobStore {
  OwnedJobStore(const fwhub::DatabaseConfig& config, const fwhub::db::ClaimOptions& claims, fwhub::Random& random)
      : connection(config), repository(connection, claims, random) {}
  fwhub::db::Connection connection;
  fwhub::db::JobRepository repository;
};

}  // namespace

int main(int argc, char** argv) {
  using namespace std::chrono;
  try {
    const fwhub::CommandLine line = fwhub::parse_command_line(argc, argv);
    const fwhub::Config config = fwhub::load_config(line.config_path);
    fwhub::init_logging(config.log, "fwhub-scheduler");
    fwhub::db::init_driver();
    fwhub::sys::block_signals({SIGTERM, SIGINT, SIGHUP});

    fwhub::scheduler::JobKindRegistry registry;
    registry.add(fwhub::scheduler::make_cleanup_job(hours(config.scheduler.job_retention_hours),
                                                    seconds(config.scheduler.cleanup_interval_seconds)));
    registry.add(fwhub::scheduler::make_catalog_sync_job(config));
    registry.add(fwhub::scheduler::make_build_job(config));
    registry.add(fwhub::scheduler::make_build_cleanup_job(config));
    registry.add(fwhub::scheduler::make_fleet_attach_job(config));
    registry.add(fwhub::scheduler::make_upgrade_job(config));
    registry.add(fwhub::scheduler::make_device_refresh_job(config));
    registry.add(fwhub::scheduler::make_batch_dispatch_job(config));
    fwhub::SystemRandom random;
    fwhub::scheduler::SchedulerOptions options;
    options.owner = config.scheduler.id.empty() ? fwhub::sys::process_identity() : config.scheduler.id;
    options.workers = config.scheduler.workers;
    options.poll = milliseconds(config.scheduler.poll_interval_ms);
    options.lease = seconds(config.scheduler.lease_seconds);
    // Used by the heartbeat thread only (and once more after it stopped).
    fwhub::db::Connection metrics_connection(config.database);
    fwhub::db::MetricsRepository metrics(metrics_connection);
    options.report = [&metrics, owner = options.owner](const std::vector<fwhub::domain::SchedulerCounter>& counters) {
      metrics.report(owner, counters);
    };
    fwhub::db::ClaimOptions claims;
    claims.spread = config.scheduler.claim_spread;
    fwhub::scheduler::Scheduler scheduler(
        options, registry,
        [&config, &claims, &random] {
          auto owned = std::make_shared<OwnedJobStore>(config.database, claims, random);
          return std::shared_ptr<fwhub::domain::JobStore>(owned, &owned->repository);
        },
        random);

    auto done = std::async(std::launch::async, [&scheduler] { scheduler.run(); });
    while (!fwhub::sys::wait_signal({SIGTERM, SIGINT}, seconds(1))) {
      if (done.wait_for(seconds(0)) == std::future_status::ready) {
        return 1;
      }
    }
    spdlog::info("fwhub-scheduler stopping: finishing or releasing held jobs");
    scheduler.stop();
    if (done.wait_for(seconds(config.scheduler.shutdown_grace_seconds)) != std::future_status::ready) {
      spdlog::warn("fwhub-scheduler: grace time over; leases of unfinished jobs will expire");
      std::_Exit(1);
    }
    return 0;
  } catch (const std::exception& error) {
    spdlog::critical("fwhub-scheduler: {}", error.what());
    return 1;
  }
}
