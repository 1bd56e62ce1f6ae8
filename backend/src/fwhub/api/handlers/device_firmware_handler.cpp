// Endpoints below a device: /firmware-upgrader/device/{id}/firmware/ and /devices/{id}/connections/.
#include "fwhub/api/handlers/device_firmware_handler.hpp"

#include "fwhub/api/fleet_request.hpp"
#include "fwhub/domain/fleet/validation.hpp"
#include "fwhub/domain/upgrade/upgrade_options.hpp"

namespace fwhub::api {
namespace {

using domain::fleet::Table;

// Setting an image (or installed = false) starts an upgrade, as upstream; "upgrade_options"
// (sysupgrade flags) is fwhub's addition.
Response set_firmware(const Request& request, Context& context, bool partial) {
  const auto who = authenticate(request, context);
  auto& services = context.fleet_services();
  services.fleet.check_firmware_change(who, request.param("id"));  // before a byte of the body is read
  auto probe = read_input(request, partial);
  const std::string options = raw_member(request, "upgrade_options");
  try {
    (void)domain::upgrade::parse_upgrade_options(options);
  } catch (const Error& error) {
    throw domain::fleet::ValidationError("upgrade_options", error.what());
  }
  const bool upgrade = probe.has("image") || probe.boolean("installed") == std::optional<bool>(false);
  if (upgrade) {
    services.upgrades.check_idle(request.param("id"));
  }
  const bool created = services.fleet.set_device_firmware(who, request.param("id"), read_input(request, partial));
  const auto scope = scope_of(who);
  const auto record = services.resources.get(domain::fleet::device_firmware_resource(), request.param("id"), scope);
  if (!record) {
    throw Error(Code::kNotFound, "not found");
  }
  Response response = json_response(created ? 201 : 200, [&record](JsonWriter& w) {
    write_record(w, domain::fleet::device_firmware_resource(), *record);
  });
  if (upgrade) {
    const std::string operation =
        services.upgrades.start(who, request.param("id"), record->at(2).value_or(""), options);
    response.header("Location", "/api/v1/firmware-upgrader/upgrade-operation/" + operation + "/");
  }
  return response;
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
  return record_response(context, domain::fleet::connection_resource(), id,
                         scope_of(who, "dc.device_id = ?", request.param("id")), 201);
}

Response handle_connection_get(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  return record_response(context, domain::fleet::connection_resource(), request.param("connection"),
                         scope_of(who, "dc.device_id = ?", request.param("id")));
}

Response handle_connection_patch(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.update_connection(who, request.param("id"), request.param("connection"),
                                                   read_input(request, true));
  return record_response(context, domain::fleet::connection_resource(), request.param("connection"),
                         scope_of(who, "dc.device_id = ?", request.param("id")));
}

Response handle_connection_delete(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.delete_connection(who, request.param("id"), request.param("connection"));
  return no_content();
}

}  // namespace fwhub::api
