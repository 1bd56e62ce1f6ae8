// A device's firmware (GET, PUT creates or replaces it, PATCH) and its connections.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_device_firmware_get(const Request& request, Context& context);
Response handle_device_firmware_put(const Request& request, Context& context);
Response handle_device_firmware_patch(const Request& request, Context& context);

Response handle_connection_list(const Request& request, Context& context);
Response handle_connection_create(const Request& request, Context& context);
Response handle_connection_get(const Request& request, Context& context);
Response handle_connection_patch(const Request& request, Context& context);
Response handle_connection_delete(const Request& request, Context& context);

}  // namespace fwhub::api
