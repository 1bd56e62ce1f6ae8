// The scheduler daemon's engine: worker threads claim due jobs, a heartbeat renews leases and
// keeps one pending job per periodic kind; stopping finishes or releases what is held.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "fwhub/common/random.hpp"
#include "fwhub/scheduler/job_runner.hpp"
#include "fwhub/scheduler/scheduler_counters.hpp"

namespace fwhub::scheduler {

struct SchedulerOptions {
  std::string owner;                    // lease owner, unique per process
  int workers = 4;                      // jobs run at once
  std::chrono::milliseconds poll{500};  // idle wait between claims
  std::chrono::seconds lease{30};       // lease length
  // Stores the process's counters (at every heartbeat and once more on stopping); may throw Error.
  std::function<void(const std::vector<domain::SchedulerCounter>&)> report;
};

// Each thread gets its own store (its own database connection).
using JobStoreFactory = std::function<std::shared_ptr<domain::JobStore>()>;

class Scheduler {
 public:
  Scheduler(SchedulerOptions options, const JobKindRegistry& registry, JobStoreFactory factory, Random& random);

  // Blocks until stop() and until every worker has finished or released its job.
  void run();
  // Stops claiming and asks running handlers to release their jobs; safe from any thread.
  void stop();
  [[nodiscard]] int jobs_run() const { return jobs_run_.load(); }

 private:
  void worker_loop();
  void heartbeat_loop();
  // Sleeps up to `duration`, returning early on stop().
  void idle(std::chrono::milliseconds duration);
  // The kinds this worker may claim now; takes a slot of every kind with max_parallel.
  std::vector<std::string> reserve_kinds();
  // Gives back the slots reserve_kinds() took, except the one of `kept` (the claimed job's kind).
  void release_kinds(const std::vector<std::string>& kinds, const std::string& kept);
  // Hands the counters to options_.report; a failure is logged, the next heartbeat tries again.
  void report_counters();

  SchedulerOptions options_;
  const JobKindRegistry& registry_;
  JobStoreFactory factory_;
  Random& random_;
  JobRunner runner_;
  SchedulerCounters counters_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> jobs_run_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::mutex slots_mutex_;
  std::map<std::string, int> running_;  // jobs running per kind with max_parallel
};

}  // namespace fwhub::scheduler
