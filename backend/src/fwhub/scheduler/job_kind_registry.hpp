// Job kinds: each kind's handler, retry policy and period, registered in one table.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fwhub/common/backoff.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/job.hpp"

namespace fwhub::scheduler {

// What a handler sees of the job it runs.
class JobContext {
 public:
  JobContext(domain::Job& job, domain::JobStore& store, std::string owner, const std::atomic<bool>& stopping)
      : job_(job), store_(store), owner_(std::move(owner)), stopping_(stopping) {}

  [[nodiscard]] const domain::Job& job() const { return job_; }
  // The string member `key` of the job's JSON payload; Error kInvalidArgument ("<kind> job
  // without <key>") when the payload is not an object holding it.
  [[nodiscard]] std::string payload_string(const char* key) const;
  [[nodiscard]] domain::JobStore& store() { return store_; }
  // Records a durable step; kAborted when the lease was lost (stop working on the job then).
  Status record_step(const std::string& step, const std::string& step_data);
  // True once the scheduler shuts down: return kAborted at the next safe point to release the job.
  [[nodiscard]] bool stopping() const { return stopping_.load(); }
  // Asks to run the job again after `delay` without counting an attempt (a timer, not a blocked
  // thread); takes effect when the handler then returns ok.
  void defer(std::chrono::milliseconds delay) { deferred_ = delay; }
  [[nodiscard]] std::optional<std::chrono::milliseconds> deferred() const { return deferred_; }

 private:
  domain::Job& job_;
  domain::JobStore& store_;
  std::string owner_;
  const std::atomic<bool>& stopping_;
  std::optional<std::chrono::milliseconds> deferred_;
};

// Handler outcome: ok = done; kUnavailable = try the job again later (backoff), resuming from
// its last recorded step; kAborted = give the job back unchanged; any other code = failed.
using JobHandler = std::function<Status(JobContext&)>;

struct JobKind {
  std::string name;
  JobHandler run;
  BackoffPolicy backoff;                       // delay between attempts
  int max_attempts = 5;                        // for jobs enqueued by the scheduler itself
  std::optional<std::chrono::seconds> period;  // periodic: the scheduler keeps one pending job
  int max_parallel = 0;                        // jobs of this kind run at once per scheduler; 0 = workers
  // Closes what a job leaves open (a build or an operation in progress) when it ends failed: its
  // last attempt failed, or it is claimed with its attempts used up (its schedulers were killed
  // while it ran). An exception gives the job back to be closed again later.
  std::function<void(const domain::Job&, const std::string& reason)> gave_up;
};

class JobKindRegistry {
 public:
  JobKindRegistry& add(JobKind kind);
  [[nodiscard]] const JobKind* find(const std::string& name) const;
  [[nodiscard]] std::vector<std::string> names() const;
  [[nodiscard]] const std::vector<JobKind>& kinds() const { return kinds_; }

 private:
  std::vector<JobKind> kinds_;
};

// A string member of a job's JSON payload; Error kInvalidArgument when missing.
std::string payload_string(const domain::Job& job, const char* key);

// active_key of the one pending job of a periodic kind.
std::string periodic_key(const std::string& kind);

}  // namespace fwhub::scheduler
