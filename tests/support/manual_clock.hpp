// A Clock that moves only when a test says so.
#pragma once

#include <chrono>

#include "fwhub/common/clock.hpp"

namespace fwhub::testing {

class ManualClock final : public Clock {
 public:
  [[nodiscard]] std::chrono::steady_clock::time_point now() const override { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }

 private:
  std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
};

}  // namespace fwhub::testing
