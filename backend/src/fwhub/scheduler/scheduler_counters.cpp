// Lock-free counting of a scheduler's work and the rows it reports.
#include "fwhub/scheduler/scheduler_counters.hpp"

namespace fwhub::scheduler {
namespace {

// The counter name of each JobOutcome, in the enum's order.
constexpr std::array<const char*, 5> kOutcomeNames = {"succeeded", "retried", "released", "failed", "lease_lost"};
static_assert(static_cast<std::size_t>(JobOutcome::kLeaseLost) + 1 == kOutcomeNames.size());

}  // namespace

SchedulerCounters::SchedulerCounters(const std::vector<std::string>& kinds) {
  for (const auto& kind : kinds) {
    kinds_.try_emplace(kind);
  }
}

void SchedulerCounters::heartbeat(int leases_renewed) {
  heartbeats_.fetch_add(1, std::memory_order_relaxed);
  lease_renewals_.fetch_add(static_cast<std::uint64_t>(leases_renewed), std::memory_order_relaxed);
}

void SchedulerCounters::claim_conflicts(std::uint64_t count) {
  claim_conflicts_.fetch_add(count, std::memory_order_relaxed);
}

void SchedulerCounters::claimed(const std::string& kind) {
  const auto it = kinds_.find(kind);
  if (it != kinds_.end()) {
    it->second.claimed.fetch_add(1, std::memory_order_relaxed);
  }
}

void SchedulerCounters::finished(const std::string& kind, JobOutcome outcome) {
  const auto it = kinds_.find(kind);
  if (it != kinds_.end()) {
    it->second.finished.at(static_cast<std::size_t>(outcome)).fetch_add(1, std::memory_order_relaxed);
  }
}

std::vector<domain::SchedulerCounter> SchedulerCounters::snapshot() const {
  std::vector<domain::SchedulerCounter> out;
  out.push_back({"heartbeats", "", heartbeats_.load(std::memory_order_relaxed)});
  out.push_back({"lease_renewals", "", lease_renewals_.load(std::memory_order_relaxed)});
  out.push_back({"claim_conflicts", "", claim_conflicts_.load(std::memory_order_relaxed)});
  for (const auto& [kind, counts] : kinds_) {
    out.push_back({"claimed", kind, counts.claimed.load(std::memory_order_relaxed)});
    for (std::size_t i = 0; i < kOutcomes; ++i) {
      out.push_back({kOutcomeNames.at(i), kind, counts.finished.at(i).load(std::memory_order_relaxed)});
    }
  }
  return out;
}

}  // namespace fwhub::scheduler
