// Endpoints of /api/v1/firmware-upgrader/upgrade-operation/ and device/{id}/upgrade-operation/.
#include "fwhub/api/handlers/upgrade_operation_handler.hpp"

#include "fwhub/api/etag.hpp"
#include "fwhub/api/fleet_request.hpp"

namespace fwhub::api {

Response handle_operation_list(const Request& request, Context& context) {
  return list_response(context, domain::fleet::upgrade_operation_resource(), request, authenticate(request, context));
}

Response handle_operation_get(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  return conditional(request, record_response(context, domain::fleet::upgrade_operation_resource(), request.param("id"),
                                              scope_of(who)));
}

Response handle_operation_cancel(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().upgrades.cancel(who, request.param("id"));
  return record_response(context, domain::fleet::upgrade_operation_resource(), request.param("id"), scope_of(who));
}

Response handle_device_operation_list(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.readable(who, domain::fleet::Table::kDevice, request.param("id"));
  return list_response(context, domain::fleet::upgrade_operation_resource(), request, who, "o.device_id = ?",
                       request.param("id"));
}

Response handle_device_refresh(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().upgrades.refresh(who, request.param("id"));
  return record_response(context, domain::fleet::device_resource(), request.param("id"), scope_of(who), 202);
}

}  // namespace fwhub::api
