// Jittered exponential backoff computation.
#include "fwhub/common/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace fwhub {

std::chrono::milliseconds backoff_delay(const BackoffPolicy& policy, int attempt, Random& random) {
  const int exponent = std::max(attempt, 1) - 1;
  const double base = static_cast<double>(policy.base.count());
  const double ceiling = static_cast<double>(policy.max.count());
  const double raw = std::min(ceiling, base * std::pow(policy.multiplier, exponent));
  const double factor = 1.0 + policy.jitter * (2.0 * random.uniform() - 1.0);
  return std::chrono::milliseconds(std::llround(std::max(0.0, raw * factor)));
}

}  // namespace fwhub
