// One running total of a scheduler process, as it reports it to the database.
#pragma once

#include <cstdint>
#include <string>

namespace fwhub::domain {

struct SchedulerCounter {
  // heartbeats, lease_renewals, claim_conflicts, claimed, succeeded, retried, released, failed, lease_lost
  std::string counter;
  std::string kind;  // the job kind; "" for the process's own counters
  std::uint64_t value = 0;
};

}  // namespace fwhub::domain
