// Health check: pings the database through the probe.
#include "fwhub/service/health_service.hpp"

#include "fwhub/common/version.hpp"

namespace fwhub::service {

HealthReport HealthService::check() {
  const Status status = database_.ping();
  return {status.is_ok(), status.message(), kVersion};
}

}  // namespace fwhub::service
