// Upgrade operations: list (all, or of one device), read with log and progress, cancel.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_operation_list(const Request& request, Context& context);
Response handle_operation_get(const Request& request, Context& context);
Response handle_operation_cancel(const Request& request, Context& context);
Response handle_device_operation_list(const Request& request, Context& context);
// POST /api/v1/devices/{id}/refresh/: queues "refresh device info"; 202 with the device.
Response handle_device_refresh(const Request& request, Context& context);

}  // namespace fwhub::api
