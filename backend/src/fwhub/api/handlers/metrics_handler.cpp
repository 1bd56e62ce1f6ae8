// Metrics endpoint: request counters from the shared region, figures from the database. With the
// database down the request counters are still answered, fwhub_database_up 0 saying why the rest
// is missing.
#include "fwhub/api/handlers/metrics_handler.hpp"

#include <spdlog/spdlog.h>

#include "fwhub/api/request_metrics.hpp"

namespace fwhub::api {

Response handle_metrics(const Request& /*request*/, Context& context) {
  std::vector<MetricFamily> families;
  if (context.request_metrics != nullptr) {
    families = context.request_metrics->families();
  }
  MetricFamily database_up{"fwhub_database_up",
                           "gauge",
                           "1 when the database figures below could be read, 0 when the database was unavailable.",
                           {}};
  std::vector<MetricFamily> figures;
  if (context.figures != nullptr) {
    try {
      figures = context.figures->families();
    } catch (const Error& error) {
      if (error.code() != Code::kUnavailable) {
        throw;
      }
      spdlog::warn("metrics without database figures: {}", error.what());
    }
  }
  database_up.samples.push_back({"", {}, figures.empty() ? 0.0 : 1.0});
  families.push_back(std::move(database_up));
  for (auto& family : figures) {
    families.push_back(std::move(family));
  }
  Response response;
  response.body = render_exposition(families);
  response.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  response.header("Cache-Control", "no-store");
  return response;
}

}  // namespace fwhub::api
