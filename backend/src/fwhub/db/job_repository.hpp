// The jobs table: domain::JobStore on MariaDB, claims with SELECT ... FOR UPDATE SKIP LOCKED.
#pragma once

#include <atomic>

#include "fwhub/common/backoff.hpp"
#include "fwhub/common/random.hpp"
#include "fwhub/db/connection.hpp"
#include "fwhub/domain/job.hpp"

namespace fwhub::db {

// How claims choose among due jobs and wait out conflicts with other schedulers.
struct ClaimOptions {
  // A claim takes a random job among the first `spread` due jobs of the highest due priority, so
  // that schedulers on different database nodes (where SKIP LOCKED does not see each other's
  // locks) rarely pick the same row; 1 = always the head of the queue.
  int spread = 1;
  // A claim the server rolled back for a conflict (a deadlock, or under Galera another node's
  // claim of the same row, reported at COMMIT) is tried again after this jittered delay ...
  BackoffPolicy conflict_backoff{std::chrono::milliseconds(5), std::chrono::milliseconds(250), 2.0, 0.5};
  // ... up to this many times in all; a conflict after the last is Error(kUnavailable).
  int conflict_attempts = 8;
};

class JobRepository final : public domain::JobStore {
 public:
  // Claims take the head of the queue (spread 1) and need no randomness.
  explicit JobRepository(Connection& connection) : connection_(connection) {}
  // Claims spread over the due jobs and back off from conflicts, drawing on `random`.
  JobRepository(Connection& connection, ClaimOptions options, Random& random)
      : connection_(connection), options_(options), random_(&random) {}

  std::optional<std::uint64_t> enqueue(const domain::NewJob& job) override;
  std::optional<domain::Job> claim(const std::string& owner, std::chrono::seconds lease,
                                   const std::vector<std::string>& kinds) override;
  int renew_leases(const std::string& owner, std::chrono::seconds lease) override;
  bool record_step(std::uint64_t id, const std::string& owner, const std::string& step,
                   const std::string& step_data) override;
  bool succeed(std::uint64_t id, const std::string& owner) override;
  bool fail(std::uint64_t id, const std::string& owner, const std::string& error) override;
  bool retry_later(std::uint64_t id, const std::string& owner, const std::string& error,
                   std::chrono::milliseconds delay) override;
  bool defer(std::uint64_t id, const std::string& owner, std::chrono::milliseconds delay) override;
  bool reschedule(std::uint64_t id, const std::string& owner, const std::string& error,
                  std::chrono::milliseconds delay) override;
  bool release(std::uint64_t id, const std::string& owner) override;
  // Makes the queued job holding `active_key` due now; false when there is none queued.
  bool bring_forward(const std::string& active_key);
  int delete_finished_older_than(std::chrono::hours age) override;

  // Claims that the server rolled back for a conflict and that were tried again (since construction).
  [[nodiscard]] std::uint64_t claim_conflicts() const override { return claim_conflicts_.load(); }

  // For tests and the admin tool.
  std::optional<domain::Job> find(std::uint64_t id);
  // The job holding `active_key`, and whether it is waiting for a future run_at.
  std::optional<std::pair<domain::Job, bool>> find_active(const std::string& active_key);

 private:
  // One claim transaction; throws the server's sql::SQLException.
  std::optional<domain::Job> claim_once(const std::string& owner, std::chrono::seconds lease, const std::string& kinds);
  // The index in [0, count) where a claim starts looking among its candidates.
  std::size_t pick(std::size_t count);

  Connection& connection_;
  ClaimOptions options_;
  Random* random_ = nullptr;  // needed when options_.spread > 1 or conflicts are backed off
  std::atomic<std::uint64_t> claim_conflicts_{0};
};

}  // namespace fwhub::db
