// GET /api/v1/metrics: the Prometheus text exposition of the whole API pool's request counters
// and of the queue, build, upgrade and scheduler figures read from the database.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_metrics(const Request& request, Context& context);

}  // namespace fwhub::api
