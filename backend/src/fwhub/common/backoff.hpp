// Jittered exponential backoff: delay before retry number `attempt`, random source injected.
#pragma once

#include <chrono>

#include "fwhub/common/random.hpp"

namespace fwhub {

struct BackoffPolicy {
  std::chrono::milliseconds base{60'000};  // delay before the first retry
  std::chrono::milliseconds max{600'000};  // ceiling of the exponential part
  double multiplier = 2.0;                 // growth per attempt
  double jitter = 0.25;                    // +/- fraction of the delay, 0 = none
};

// attempt counts from 1 (the first retry). Result = min(max, base * multiplier^(attempt-1)),
// then scaled by a factor uniform in [1 - jitter, 1 + jitter).
std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt, Random& random);

}  // namespace fwhub
