// Request counters and latency histograms of the whole API pool. The supervisor creates them in
// one anonymous shared mapping before it forks, so every worker process (and every replacement
// of one) adds to the same counters with lock-free atomic increments, and whichever worker a
// scrape reaches renders the figures of all.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>
#include <vector>

#include "fwhub/api/router.hpp"
#include "fwhub/common/metrics_text.hpp"

namespace fwhub::api {

class RequestMetrics {
 public:
  // One series per route of `router`, plus one per method for requests no route handled
  // (404, 405, a malformed path or query, a body over the limit): route="unmatched".
  explicit RequestMetrics(const Router& router);
  ~RequestMetrics();
  RequestMetrics(const RequestMetrics&) = delete;
  RequestMetrics& operator=(const RequestMetrics&) = delete;
  RequestMetrics(RequestMetrics&&) = delete;
  RequestMetrics& operator=(RequestMetrics&&) = delete;

  // Counts one answered request; `route` is RouteMatch::route (nullopt: unmatched). Never
  // throws, takes no lock.
  void record(std::optional<std::size_t> route, std::string_view method, int status,
              std::chrono::nanoseconds elapsed) noexcept;

  // fwhub_http_requests_total{route,method,status} and
  // fwhub_http_request_duration_seconds{route,method}; series never used are left out.
  [[nodiscard]] std::vector<MetricFamily> families() const;

 private:
  struct Slot;
  std::vector<RouteName> names_;  // the routes' slots first, then the unmatched ones by method
  Slot* slots_ = nullptr;
  std::size_t bytes_ = 0;
};

}  // namespace fwhub::api
