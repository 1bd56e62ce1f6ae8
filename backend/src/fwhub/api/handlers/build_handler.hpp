// The ASU build endpoints: POST /api/v1/build, GET/HEAD /api/v1/build/{hash}, GET /api/v1/stats.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_build_submit(const Request& request, Context& context);
Response handle_build_poll(const Request& request, Context& context);

}  // namespace fwhub::api
