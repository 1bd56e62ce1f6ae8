// One budget of bytes per second shared by every upload of a process
// (upgrade.max_upload_bytes_per_second): parallel uploads share the rate instead of multiplying it.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace fwhub {

class BandwidthLimit {
 public:
  // 0 = no limit.
  explicit BandwidthLimit(std::uint64_t bytes_per_second) : rate_(bytes_per_second) {}

  // Takes `bytes` from the budget: waits until the shared schedule reaches this caller's turn.
  // Slots are handed out in call order, so uploads advance in turns of their chunks.
  void take(std::uint64_t bytes);

 private:
  std::uint64_t rate_;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point next_{};  // when the budget is free again
};

}  // namespace fwhub
