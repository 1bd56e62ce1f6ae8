// Route table of fwhub-api.
#include "fwhub/api/routes.hpp"

#include "fwhub/api/handlers/auth_handler.hpp"
#include "fwhub/api/handlers/batch_handler.hpp"
#include "fwhub/api/handlers/build_handler.hpp"
#include "fwhub/api/handlers/device_firmware_handler.hpp"
#include "fwhub/api/handlers/fleet_crud.hpp"
#include "fwhub/api/handlers/health_handler.hpp"
#include "fwhub/api/handlers/image_handler.hpp"
#include "fwhub/api/handlers/metrics_handler.hpp"
#include "fwhub/api/handlers/revision_handler.hpp"
#include "fwhub/api/handlers/stats_handler.hpp"
#include "fwhub/api/handlers/upgrade_operation_handler.hpp"

namespace fwhub::api {
namespace {

using service::FleetService;
namespace fleet = domain::fleet;

// GET/POST on the collection, GET/PUT/PATCH/DELETE on "{id}/".
template <typename Create, typename Update, typename Delete>
void add_resource(Router& router, const std::string& collection, const fleet::ResourceSpec& spec, Create create,
                  Update update, Delete remove) {
  router.add("GET", collection, list_handler(spec));
  router.add("POST", collection, create_handler(spec, create));
  router.add("GET", collection + "{id}/", get_handler(spec));
  router.add("PUT", collection + "{id}/", update_handler(spec, update, false));
  router.add("PATCH", collection + "{id}/", update_handler(spec, update, true));
  router.add("DELETE", collection + "{id}/", delete_handler(remove));
}

void add_fleet_routes(Router& router) {
  router.add("POST", "/api/v1/auth/login", handle_login);
  router.add("POST", "/api/v1/auth/logout", handle_logout);
  router.add("GET", "/api/v1/auth/me", handle_me);
  router.add("GET", "/api/v1/auth/tokens/", handle_token_list);
  router.add("POST", "/api/v1/auth/tokens/", handle_token_create);
  router.add("DELETE", "/api/v1/auth/tokens/{id}/", handle_token_revoke);
  add_resource(router, "/api/v1/organizations/", fleet::organization_resource(), &FleetService::create_organization,
               &FleetService::update_organization, &FleetService::delete_organization);
  add_resource(router, "/api/v1/users/", fleet::user_resource(), &FleetService::create_user, &FleetService::update_user,
               &FleetService::delete_user);
  add_resource(router, "/api/v1/devices/", fleet::device_resource(), &FleetService::create_device,
               &FleetService::update_device, &FleetService::delete_device);
  add_resource(router, "/api/v1/credentials/", fleet::credentials_resource(), &FleetService::create_credentials,
               &FleetService::update_credentials, &FleetService::delete_credentials);
  router.add("POST", "/api/v1/devices/{id}/refresh/", handle_device_refresh);
  router.add("GET", "/api/v1/devices/{id}/connections/", handle_connection_list);
  router.add("POST", "/api/v1/devices/{id}/connections/", handle_connection_create);
  router.add("GET", "/api/v1/devices/{id}/connections/{connection}/", handle_connection_get);
  router.add("PATCH", "/api/v1/devices/{id}/connections/{connection}/", handle_connection_patch);
  router.add("DELETE", "/api/v1/devices/{id}/connections/{connection}/", handle_connection_delete);

  const std::string upgrader = "/api/v1/firmware-upgrader/";
  add_resource(router, upgrader + "category/", fleet::category_resource(), &FleetService::create_category,
               &FleetService::update_category, &FleetService::delete_category);
  add_resource(router, upgrader + "build/", fleet::build_resource(), &FleetService::create_build,
               &FleetService::update_build, &FleetService::delete_build);
  router.add("GET", upgrader + "build/{build}/image/", handle_image_list);
  router.add("POST", upgrader + "build/{build}/image/", handle_image_upload);
  router.add("GET", upgrader + "build/{build}/image/{id}/", handle_image_get);
  router.add("DELETE", upgrader + "build/{build}/image/{id}/", handle_image_delete);
  router.add("GET", upgrader + "build/{build}/image/{id}/download/", handle_image_download);
  router.add("GET", upgrader + "build/{build}/catalog-build/", handle_catalog_build_list);
  router.add("POST", upgrader + "build/{build}/catalog-build/", handle_catalog_build_request);
  router.add("GET", upgrader + "device/{id}/firmware/", handle_device_firmware_get);
  router.add("GET", upgrader + "device/{id}/upgrade-operation/", handle_device_operation_list);
  router.add("GET", upgrader + "build/{build}/upgrade/", handle_batch_dry_run);
  router.add("POST", upgrader + "build/{build}/upgrade/", handle_batch_start);
  router.add("GET", upgrader + "batch-upgrade-operation/", handle_batch_list);
  router.add("GET", upgrader + "batch-upgrade-operation/{id}/", handle_batch_get);
  router.add("GET", upgrader + "batch-upgrade-operation/{id}/progress/", handle_batch_progress);
  router.add("POST", upgrader + "batch-upgrade-operation/{id}/cancel/", handle_batch_cancel);
  router.add("POST", upgrader + "batch-upgrade-operation/{id}/pause/", handle_batch_pause);
  router.add("POST", upgrader + "batch-upgrade-operation/{id}/resume/", handle_batch_resume);
  router.add("GET", upgrader + "upgrade-operation/", handle_operation_list);
  router.add("GET", upgrader + "upgrade-operation/{id}/", handle_operation_get);
  router.add("POST", upgrader + "upgrade-operation/{id}/cancel/", handle_operation_cancel);
  router.add("PUT", upgrader + "device/{id}/firmware/", handle_device_firmware_put);
  router.add("PATCH", upgrader + "device/{id}/firmware/", handle_device_firmware_patch);
}

}  // namespace

Router make_routes() {
  Router router;
  router.add("GET", "/api/v1/health", handle_health);
  router.add("GET", "/api/v1/metrics", handle_metrics);
  router.add("GET", "/api/v1/revision/{version}/{target}/{subtarget}", handle_revision);
  router.add("POST", "/api/v1/build", handle_build_submit);
  router.add("GET", "/api/v1/build/{request_hash}", handle_build_poll);
  router.add("GET", "/api/v1/stats", handle_stats);
  router.add("GET", "/api/v1/builds-per-day", handle_builds_per_day);
  router.add("GET", "/api/v1/builds-by-version", handle_builds_by_version);
  router.add("GET", "/api/v1/top-packages", handle_top_packages);
  router.add("GET", "/api/v1/build-errors", handle_build_errors);
  add_fleet_routes(router);
  return router;
}

}  // namespace fwhub::api
