// GET /api/v1/health: liveness of the API process and its database.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_health(const Request& request, Context& context);

}  // namespace fwhub::api
