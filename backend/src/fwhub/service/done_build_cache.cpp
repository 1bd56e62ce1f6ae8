// Bounded, expiring map of finished builds.
#include "fwhub/service/done_build_cache.hpp"

#include <algorithm>

namespace fwhub::service {

std::optional<domain::build::BuildRecord> DoneBuildCache::find(const std::string& key) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(key);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  if (clock_.now() >= it->second.expires) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.record;
}

void DoneBuildCache::store(const std::string& key, const domain::build::BuildRecord& record) {
  if (capacity_ == 0 || record.status != domain::build::BuildStatus::kDone || record.seconds_left <= 0) {
    return;
  }
  const std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_ && !entries_.contains(key)) {
    const auto soonest = std::min_element(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) {
      return a.second.expires < b.second.expires;
    });
    entries_.erase(soonest);
  }
  entries_[key] = {record, clock_.now() + std::chrono::seconds(record.seconds_left)};
}

}  // namespace fwhub::service
