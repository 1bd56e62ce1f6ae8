// Port: the figures /api/v1/metrics reads from the database at scrape time (queues, builds,
// upgrades, the schedulers' reported counters); db::MetricsRepository implements it.
#pragma once

#include <vector>

#include "fwhub/common/metrics_text.hpp"

namespace fwhub::service {

class OperationalFigures {
 public:
  virtual ~OperationalFigures() = default;
  // Throws Error kUnavailable when the database cannot be reached.
  virtual std::vector<MetricFamily> families() = 0;
};

}  // namespace fwhub::service
