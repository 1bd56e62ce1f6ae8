// The metrics tables and queries: scheduler processes write their counters, the API reads the
// queue, build and upgrade figures with a few grouped counts over indexed columns.
#pragma once

#include <string>
#include <vector>

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/scheduler_counter.hpp"
#include "fwhub/service/operational_figures.hpp"

namespace fwhub::db {

class MetricsRepository final : public service::OperationalFigures {
 public:
  explicit MetricsRepository(Connection& connection) : connection_(connection) {}

  // fwhub_jobs, fwhub_builds, fwhub_build_events_today, fwhub_upgrade_operations,
  // fwhub_batch_upgrades and the fwhub_scheduler_* families.
  std::vector<MetricFamily> families() override;

  // Stores the running totals of the scheduler `owner`; its first report also deletes the rows
  // of processes that have not reported for a day.
  void report(const std::string& owner, const std::vector<domain::SchedulerCounter>& counters);

 private:
  Connection& connection_;
  bool stale_rows_deleted_ = false;
};

}  // namespace fwhub::db
