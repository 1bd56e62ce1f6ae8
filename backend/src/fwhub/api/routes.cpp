// Route table of fwhub-api.
#include "fwhub/api/routes.hpp"

#include "fwhub/api/handlers/build_handler.hpp"
#include "fwhub/api/handlers/health_handler.hpp"
#include "fwhub/api/handlers/revision_handler.hpp"
#include "fwhub/api/handlers/stats_handler.hpp"

namespace fwhub::api {

Router make_routes() {
  Router router;
  router.add("GET", "/api/v1/health", handle_health);
  router.add("GET", "/api/v1/revision/{version}/{target}/{subtarget}", handle_revision);
  router.add("POST", "/api/v1/build", handle_build_submit);
  router.add("GET", "/api/v1/build/{request_hash}", handle_build_poll);
  router.add("GET", "/api/v1/stats", handle_stats);
  router.add("GET", "/api/v1/builds-per-day", handle_builds_per_day);
  router.add("GET", "/api/v1/builds-by-version", handle_builds_by_version);
  router.add("GET", "/api/v1/top-packages", handle_top_packages);
  router.add("GET", "/api/v1/build-errors", handle_build_errors);
  return router;
}

}  // namespace fwhub::api
