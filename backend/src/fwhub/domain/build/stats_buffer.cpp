// Merging and batching of build statistics.
#include "fwhub/domain/build/stats_buffer.hpp"

namespace fwhub::domain::build {

void StatsBuffer::merge(const StatsRow& row) {
  auto& merged = rows_[Key{row.day, row.event, row.version, row.target, row.profile, row.client}];
  if (merged.count == 0) {
    merged = row;
  } else {
    merged.count += row.count;
    merged.seconds += row.seconds;
  }
}

void StatsBuffer::add(BuildEvent event, const NewBuild& build, double seconds, const std::string& day) {
  const std::lock_guard lock(mutex_);
  merge({day, event, build.version, build.target, build.profile, build.client, 1, seconds});
}

std::vector<StatsRow> StatsBuffer::take_due() {
  const std::lock_guard lock(mutex_);
  const auto now = clock_.now();
  if (rows_.empty() || now - last_take_ < interval_) {
    return {};
  }
  last_take_ = now;
  std::vector<StatsRow> out;
  out.reserve(rows_.size());
  for (auto& [key, row] : rows_) {
    out.push_back(std::move(row));
  }
  rows_.clear();
  return out;
}

void StatsBuffer::restore(const std::vector<StatsRow>& rows) {
  const std::lock_guard lock(mutex_);
  for (const auto& row : rows) {
    merge(row);
  }
}

}  // namespace fwhub::domain::build
