// Health of this process and its dependencies, for /api/v1/health and monitoring.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

#include "fwhub/common/clock.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::service {

// Port: something that can tell whether the database answers (db::Connection implements it).
class DatabaseProbe {
 public:
  virtual ~DatabaseProbe() = default;
  virtual Status ping() = 0;
};

struct HealthReport {
  bool database_ok = false;
  std::string database_detail;  // why not, for the log only
  std::string version;
};

// The last probe result, shared by the threads of one process so that a flood of health checks
// (load balancers, monitoring) costs one database round trip per interval.
class HealthCache {
 public:
  HealthCache(const Clock& clock, std::chrono::milliseconds interval) : clock_(clock), interval_(interval) {}
  // The cached status if younger than the interval.
  std::optional<Status> fresh();
  void store(const Status& status);

 private:
  const Clock& clock_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::optional<std::chrono::steady_clock::time_point> checked_at_;
  Status status_;
};

class HealthService {
 public:
  HealthService(DatabaseProbe& database, HealthCache& cache) : database_(database), cache_(cache) {}
  HealthReport check();

 private:
  DatabaseProbe& database_;
  HealthCache& cache_;
};

}  // namespace fwhub::service
