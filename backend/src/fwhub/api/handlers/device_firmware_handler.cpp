// Endpoints below a device: /firmware-upgrader/device/{id}/firmware/ and /devices/{id}/connections/.
#include "fwhub/api/handlers/device_firmware_handler.hpp"

#include "fwhub/api/fleet_request.hpp"

namespace fwhub::api {
namespace {

using domain::fleet::Table;

Response set_firmware(const Request& request, Context& context, bool partial) {
  const auto who = authenticate(request, context);
  const bool created =
      context.fleet_services().fleet.set_device_firmware(who, request.param("id"), read_input(request, partial));
  return record_response(context, domain::fleet::device_firmware_resource(), request.param("id"), scope_of(who),
                         created ? 201 : 200);
}

domain::fleet::ListQuery of_device(const domain::fleet::Principal& who, const std::string& device_id) {
  auto scope = scope_of(who);
  scope.fixed.emplace_back("dc.device_id = ?", device_id);
  return scope;
}

}  // namespace

Response handle_device_firmware_get(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  return record_response(context, domain::fleet::device_firmware_resource(), request.param("id"), scope_of(who));
}

Response handle_device_firmware_put(const Request& request, Context& context) {
  return set_firmware(request, context, false);
}

Response handle_device_firmware_patch(const Request& request, Context& context) {
  return set_firmware(request, context, true);
}

Response handle_connection_list(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.readable(who, Table::kDevice, request.param("id"));
  return list_response(context, domain::fleet::connection_resource(), request, who, "dc.device_id = ?",
                       request.param("id"));
}

Response handle_connection_create(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  const std::string id =
      context.fleet_services().fleet.create_connection(who, request.param("id"), read_input(request, false));
  return record_response(context, domain::fleet::connection_resource(), id, of_device(who, request.param("id")), 201);
}

Response handle_connection_get(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  return record_response(context, domain::fleet::connection_resource(), request.param("connection"),
                         of_device(who, request.param("id")));
}

Response handle_connection_patch(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.update_connection(who, request.param("id"), request.param("connection"),
                                                   read_input(request, true));
  return record_response(context, domain::fleet::connection_resource(), request.param("connection"),
                         of_device(who, request.param("id")));
}

Response handle_connection_delete(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.delete_connection(who, request.param("id"), request.param("connection"));
  return no_content();
}

}  // namespace fwhub::api
