// Build statistics: queue length, daily series for charts, top packages per branch, and the
// recent build errors (spec section 7).
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

// GET /api/v1/stats: {"queue_length": N}
Response handle_stats(const Request& request, Context& context);
// GET /api/v1/builds-per-day: 30 days, datasets Requests, Cache-Hits, Failures.
Response handle_builds_per_day(const Request& request, Context& context);
// GET /api/v1/builds-by-version: 30 days, one dataset of requests per version.
Response handle_builds_by_version(const Request& request, Context& context);
// GET /api/v1/top-packages?branch=23.05&n=20: the packages new builds asked for most (30 days).
Response handle_top_packages(const Request& request, Context& context);
// GET /api/v1/build-errors: text, one line per failed build still kept, request hashes masked.
Response handle_build_errors(const Request& request, Context& context);

}  // namespace fwhub::api
