// Batch status, staged rollout and offline retry rules.
#include "fwhub/domain/upgrade/batch_rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "fwhub/common/backoff.hpp"

namespace fwhub::domain::upgrade {

bool BatchCounts::add(const std::string& status, int count) {
  int* slot = status == "queued"        ? &queued
              : status == "pending"     ? &pending
              : status == "in-progress" ? &in_progress
              : status == "success"     ? &success
              : status == "failed"      ? &failed
              : status == "aborted"     ? &aborted
              : status == "cancelled"   ? &cancelled
                                        : nullptr;
  if (slot == nullptr) {
    return false;
  }
  *slot += count;
  return true;
}

std::string batch_status(const std::string& current, const BatchCounts& counts) {
  if (current == "cancelled") {
    return current;
  }
  if ((current == "scheduled" || current == "paused") && counts.queued + counts.pending > 0) {
    return current;
  }
  if (counts.open() > 0) {
    return "in-progress";
  }
  if (counts.failed + counts.aborted > 0) {
    return "failed";
  }
  if (counts.cancelled > 0) {
    return "cancelled";
  }
  return "success";
}

int first_wave_size(int count, double percent, int total) {
  if (total <= 0 || (count <= 0 && percent <= 0)) {
    return 0;
  }
  const int wanted = count > 0 ? count : static_cast<int>(std::ceil(percent * total / 100.0 - 1e-9));
  return std::clamp(wanted, 1, total);
}

std::optional<WaveVerdict> judge_first_wave(int first_wave, const BatchCounts& counts, double max_failure_rate) {
  // Only the first wave has been started, so every started operation belongs to it.
  const int started = counts.total() - counts.queued;
  if (first_wave <= 0 || started < first_wave || counts.in_progress + counts.pending > 0) {
    return std::nullopt;
  }
  WaveVerdict verdict;
  verdict.failure_rate = 100.0 * (counts.failed + counts.aborted) / first_wave;
  verdict.passed = verdict.failure_rate <= max_failure_rate + 1e-9;
  if (!verdict.passed) {
    std::array<char, 160> text{};
    std::snprintf(text.data(), text.size(),
                  "Stopped after the first wave: %d of %d devices failed (%.2f %%, more than the %.2f %% allowed).",
                  counts.failed + counts.aborted, first_wave, verdict.failure_rate, max_failure_rate);
    verdict.reason = text.data();
  }
  return verdict;
}

std::chrono::seconds offline_retry_delay(int attempt, std::chrono::seconds base, std::chrono::seconds max,
                                         Random& random) {
  const BackoffPolicy policy{base, max, 2.0, 0.25};
  return std::chrono::duration_cast<std::chrono::seconds>(backoff_delay(policy, std::max(attempt, 1), random));
}

}  // namespace fwhub::domain::upgrade
