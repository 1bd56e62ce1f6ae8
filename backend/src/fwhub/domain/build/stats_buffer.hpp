// Build statistics gathered in memory and written in batches: every POST counts a request and a
// cache hit or miss, and one database row per (day, event, version, target, profile, client)
// updated by every request would serialise the API on its row lock.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "fwhub/common/clock.hpp"
#include "fwhub/domain/build/build_record.hpp"

namespace fwhub::domain::build {

struct StatsRow {
  std::string day;  // YYYY-MM-DD, UTC, when the event happened
  BuildEvent event = BuildEvent::kRequest;
  std::string version;
  std::string target;
  std::string profile;
  std::string client;
  long long count = 0;
  double seconds = 0;
};

// Shared by the threads of one process.
class StatsBuffer {
 public:
  StatsBuffer(const Clock& clock, std::chrono::milliseconds interval) : clock_(clock), interval_(interval) {}

  void add(BuildEvent event, const NewBuild& build, double seconds, const std::string& day);
  // The gathered rows once `interval` has passed since the last take (empty otherwise, and for
  // all but one of the threads asking at the same moment); the buffer is then empty.
  std::vector<StatsRow> take_due();
  // Puts rows back that could not be written, so that they go with the next batch.
  void restore(const std::vector<StatsRow>& rows);

 private:
  using Key = std::tuple<std::string, BuildEvent, std::string, std::string, std::string, std::string>;
  void merge(const StatsRow& row);

  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::map<Key, StatsRow> rows_;
  std::chrono::steady_clock::time_point last_take_{};
};

}  // namespace fwhub::domain::build
