// Jobs: the unit of background work, their states, and the store the scheduler needs (a port
// implemented by db::JobRepository).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fwhub::domain {

enum class JobState { kQueued, kRunning, kSucceeded, kFailed, kCancelled };

std::string_view job_state_name(JobState state);
std::optional<JobState> parse_job_state(std::string_view name);

struct Job {
  std::uint64_t id = 0;
  std::string kind;
  std::string payload;  // JSON, the kind's input
  JobState state = JobState::kQueued;
  int priority = 0;       // higher first
  int attempts = 0;       // claims so far, including the current one
  int max_attempts = 1;   // after this many, a retryable failure becomes final
  std::string step;       // last durable step recorded by the handler ("" = none yet)
  std::string step_data;  // what that step left for the next one (JSON)
  std::string last_error;
};

struct NewJob {
  std::string kind;
  std::string payload = "{}";
  int priority = 0;
  int max_attempts = 5;
  std::chrono::milliseconds delay{0};     // run_at = now + delay
  std::optional<std::string> active_key;  // unique among unfinished jobs: deduplication
};

// What the scheduler needs from storage. Every mutation of a claimed job names its lease owner
// and returns false when the lease was lost (another scheduler owns the job now).
class JobStore {
 public:
  virtual ~JobStore() = default;
  // Inserts a job; with an active_key already held by an unfinished job, returns nullopt.
  virtual std::optional<std::uint64_t> enqueue(const NewJob& job) = 0;
  // Claims the most urgent due job (queued and due, or running with an expired lease).
  virtual std::optional<Job> claim(const std::string& owner, std::chrono::seconds lease,
                                   const std::vector<std::string>& kinds) = 0;
  // Extends the leases of every job the owner holds; returns how many.
  virtual int renew_leases(const std::string& owner, std::chrono::seconds lease) = 0;
  virtual bool record_step(std::uint64_t id, const std::string& owner, const std::string& step,
                           const std::string& step_data) = 0;
  virtual bool succeed(std::uint64_t id, const std::string& owner) = 0;
  virtual bool fail(std::uint64_t id, const std::string& owner, const std::string& error) = 0;
  virtual bool retry_later(std::uint64_t id, const std::string& owner, const std::string& error,
                           std::chrono::milliseconds delay) = 0;
  // A job waiting for something outside (a device rebooting): queued again after `delay`
  // without counting the run as an attempt, with a priority of at least 1 (ahead of jobs that
  // have not started).
  virtual bool defer(std::uint64_t id, const std::string& owner, std::chrono::milliseconds delay) = 0;
  // Periodic jobs: the same row is queued again after `delay`, attempts reset, `error` kept.
  virtual bool reschedule(std::uint64_t id, const std::string& owner, const std::string& error,
                          std::chrono::milliseconds delay) = 0;
  // Gives the job back unfinished (shutdown): queued again, this claim not counted.
  virtual bool release(std::uint64_t id, const std::string& owner) = 0;
  // Deletes finished jobs older than `age`; returns how many.
  virtual int delete_finished_older_than(std::chrono::hours age) = 0;
  // Claims that lost a conflict with another claim and were tried again, since the store was made.
  [[nodiscard]] virtual std::uint64_t claim_conflicts() const = 0;
};

}  // namespace fwhub::domain
