// Health of this process and its dependencies, for /api/v1/health and monitoring.
#pragma once

#include <string>

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

class HealthService {
 public:
  explicit HealthService(DatabaseProbe& database) : database_(database) {}
  HealthReport check();

 private:
  DatabaseProbe& database_;
};

}  // namespace fwhub::service
