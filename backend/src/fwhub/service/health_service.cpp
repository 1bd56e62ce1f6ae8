// Health check: pings the database through the probe, at most once per cache interval.
#include "fwhub/service/health_service.hpp"

#include "fwhub/common/version.hpp"

namespace fwhub::service {

std::optional<Status> HealthCache::fresh() {
  const std::lock_guard lock(mutex_);
  if (checked_at_ && clock_.now() - *checked_at_ < interval_) {
    return status_;
  }
  return std::nullopt;
}

void HealthCache::store(const Status& status) {
  const std::lock_guard lock(mutex_);
  checked_at_ = clock_.now();
  status_ = status;
}

HealthReport HealthService::check() {
  std::optional<Status> status = cache_.fresh();
  if (!status) {
    status = database_.ping();
    cache_.store(*status);
  }
  return {status->is_ok(), status->message(), kVersion};
}

}  // namespace fwhub::service
