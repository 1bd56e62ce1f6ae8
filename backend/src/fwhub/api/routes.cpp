// Route table of fwhub-api.
#include "fwhub/api/routes.hpp"

#include "fwhub/api/handlers/health_handler.hpp"
#include "fwhub/api/handlers/revision_handler.hpp"

namespace fwhub::api {

Router make_routes() {
  Router router;
  router.add("GET", "/api/v1/health", handle_health);
  router.add("GET", "/api/v1/revision/{version}/{target}/{subtarget}", handle_revision);
  return router;
}

}  // namespace fwhub::api
