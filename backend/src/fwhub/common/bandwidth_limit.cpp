// A virtual schedule: each call reserves bytes / rate seconds after the previous reservation.
#include "fwhub/common/bandwidth_limit.hpp"

#include <thread>

namespace fwhub {

void BandwidthLimit::take(std::uint64_t bytes) {
  if (rate_ == 0 || bytes == 0) {
    return;
  }
  std::chrono::steady_clock::time_point until;
  {
    const std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    const auto start = std::max(next_, now);
    next_ = start + std::chrono::microseconds(bytes * 1'000'000 / rate_);
    until = next_;
  }
  std::this_thread::sleep_until(until);
}

}  // namespace fwhub
