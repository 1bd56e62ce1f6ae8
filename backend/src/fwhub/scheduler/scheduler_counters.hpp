// Running totals of one scheduler process: heartbeats, leases renewed, claim conflicts, and jobs
// claimed and ended by kind and outcome. Worker threads add to them without a lock; the heartbeat
// reports them.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "fwhub/domain/scheduler_counter.hpp"
#include "fwhub/scheduler/job_runner.hpp"

namespace fwhub::scheduler {

class SchedulerCounters {
 public:
  // The kinds are fixed at construction; others are not counted.
  explicit SchedulerCounters(const std::vector<std::string>& kinds);

  void heartbeat(int leases_renewed);
  // `count` more claims lost a conflict with another scheduler's and were tried again.
  void claim_conflicts(std::uint64_t count);
  void claimed(const std::string& kind);
  void finished(const std::string& kind, JobOutcome outcome);

  // Every counter, zeros included: heartbeats, lease_renewals and claim_conflicts (kind ""), then per kind
  // claimed, succeeded, retried, released, failed and lease_lost.
  [[nodiscard]] std::vector<domain::SchedulerCounter> snapshot() const;

 private:
  static constexpr std::size_t kOutcomes = 5;
  struct PerKind {
    std::atomic<std::uint64_t> claimed{0};
    std::array<std::atomic<std::uint64_t>, kOutcomes> finished{};
  };
  std::atomic<std::uint64_t> heartbeats_{0};
  std::atomic<std::uint64_t> lease_renewals_{0};
  std::atomic<std::uint64_t> claim_conflicts_{0};
  std::map<std::string, PerKind> kinds_;  // not changed after construction
};

}  // namespace fwhub::scheduler
