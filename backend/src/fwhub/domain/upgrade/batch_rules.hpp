// The rules of a mass upgrade that do not need storage: the batch status from its operations'
// counts (upstream's order of rules), the first wave of a staged rollout and its verdict, and
// when a persistent batch tries an offline device again.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "fwhub/common/random.hpp"

namespace fwhub::domain::upgrade {

// Operations of a batch by status.
struct BatchCounts {
  int queued = 0;
  int pending = 0;
  int in_progress = 0;
  int success = 0;
  int failed = 0;
  int aborted = 0;
  int cancelled = 0;

  [[nodiscard]] int open() const { return queued + pending + in_progress; }
  [[nodiscard]] int total() const { return open() + success + failed + aborted + cancelled; }
  // Adds one operation of this status; false for an unknown status.
  bool add(const std::string& status, int count);
};

// The status after a change. `current` stays while it is scheduled or paused with operations
// still to start, and a cancelled batch stays cancelled; otherwise the first rule that matches:
// any operation open → in-progress; any failed or aborted → failed; any cancelled → cancelled;
// else success.
std::string batch_status(const std::string& current, const BatchCounts& counts);

// Devices of the first wave: `count` when positive, else `percent` of `total` rounded up;
// at least 1 and at most `total` when either is asked for, 0 (no staged rollout) otherwise.
int first_wave_size(int count, double percent, int total);

// Whether a staged rollout may go on once its first wave ended: failed + aborted over the wave,
// in percent, must not exceed `max_failure_rate`. Filled only when the wave has ended.
struct WaveVerdict {
  bool passed = false;
  double failure_rate = 0;  // percent
  std::string reason;       // why the batch stopped; "" when passed
};
std::optional<WaveVerdict> judge_first_wave(int first_wave, const BatchCounts& counts, double max_failure_rate);

// Delay before a persistent batch tries an offline device again: `base` doubling per attempt
// (attempt counts from 1) up to `max`, ±25 % jitter.
std::chrono::seconds offline_retry_delay(int attempt, std::chrono::seconds base, std::chrono::seconds max,
                                         Random& random);

}  // namespace fwhub::domain::upgrade
