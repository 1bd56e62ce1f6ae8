// Job state names as stored in the jobs table.
#include "fwhub/domain/job.hpp"

#include <array>
#include <utility>

namespace fwhub::domain {
namespace {
constexpr std::array<std::pair<JobState, std::string_view>, 5> kStateNames = {{
    {JobState::kQueued, "queued"},
    {JobState::kRunning, "running"},
    {JobState::kSucceeded, "succeeded"},
    {JobState::kFailed, "failed"},
    {JobState::kCancelled, "cancelled"},
}};
}  // namespace

std::string_view job_state_name(JobState state) {
  for (const auto& [value, name] : kStateNames) {
    if (value == state) {
      return name;
    }
  }
  return "unknown";
}

std::optional<JobState> parse_job_state(std::string_view name) {
  for (const auto& [value, text] : kStateNames) {
    if (text == name) {
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace fwhub::domain
