// Runs one claimed job and stores its outcome: success, retry with backoff, release or failure.
#pragma once

#include <atomic>

#include "fwhub/common/random.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

enum class JobOutcome { kSucceeded, kRetrying, kReleased, kFailed, kLeaseLost };

class JobRunner {
 public:
  JobRunner(const JobKindRegistry& registry, Random& random) : registry_(registry), random_(random) {}

  // Never throws for handler errors. Storing the outcome waits out an unavailable database (unless
  // stopping); other store errors propagate as Error.
  JobOutcome run(domain::Job& job, domain::JobStore& store, const std::string& owner,
                 const std::atomic<bool>& stopping) const;

 private:
  const JobKindRegistry& registry_;
  Random& random_;
};

}  // namespace fwhub::scheduler
