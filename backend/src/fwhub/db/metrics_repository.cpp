// SQL of the metrics figures and of the scheduler counters, as named constants.
#include "fwhub/db/metrics_repository.hpp"

#include <map>

#include "fwhub/db/batch_insert.hpp"

namespace fwhub::db {
namespace {

constexpr const char* kJobs =
    "SELECT kind, state, COUNT(*) FROM jobs WHERE state IN ('queued', 'running') GROUP BY kind, state";
constexpr const char* kBuilds = "SELECT status, COUNT(*) FROM builds GROUP BY status";
constexpr const char* kBuildEventsToday =
    "SELECT event, SUM(count) FROM build_stats WHERE day = UTC_DATE() GROUP BY event";
constexpr const char* kOperations = "SELECT status, COUNT(*) FROM upgrade_operations GROUP BY status";
constexpr const char* kBatches = "SELECT status, COUNT(*) FROM batch_upgrade_operations GROUP BY status";
constexpr const char* kSchedulerCounters =
    "SELECT owner, counter, kind, value, TIMESTAMPDIFF(MICROSECOND, updated_at, NOW(3)) / 1e6"
    " FROM scheduler_counters ORDER BY owner, counter, kind";
constexpr const char* kDeleteStale = "DELETE FROM scheduler_counters WHERE updated_at < NOW(3) - INTERVAL 1 DAY";
constexpr const char* kReportTail = " ON DUPLICATE KEY UPDATE value = VALUES(value), updated_at = VALUES(updated_at)";

// A gauge of `sql`'s (label value, count) rows, every one of `known` present (0 when absent).
MetricFamily counts_by(Connection& c, const char* sql, MetricFamily family, const std::string& label,
                       const std::vector<std::string>& known) {
  std::map<std::string, double> counts;
  for (const auto& value : known) {
    counts[value] = 0;
  }
  std::unique_ptr<sql::ResultSet> rows(c.prepare(sql)->executeQuery());
  while (rows->next()) {
    counts[rows->getString(1)] = static_cast<double>(rows->getInt64(2));
  }
  for (const auto& [value, count] : counts) {
    family.samples.push_back({"", {{label, value}}, count});
  }
  return family;
}

MetricFamily jobs(Connection& c) {
  MetricFamily family{"fwhub_jobs", "gauge", "Jobs queued or running, by kind and state.", {}};
  std::unique_ptr<sql::ResultSet> rows(c.prepare(kJobs)->executeQuery());
  while (rows->next()) {
    family.samples.push_back(
        {"", {{"kind", rows->getString(1)}, {"state", rows->getString(2)}}, static_cast<double>(rows->getInt64(3))});
  }
  return family;
}

// The fwhub_scheduler_* families from the counters every scheduler process reports.
std::vector<MetricFamily> scheduler_families(Connection& c) {
  MetricFamily heartbeats{"fwhub_scheduler_heartbeats_total",
                          "counter",
                          "Heartbeats of each scheduler process (lease renewal rounds).",
                          {}};
  MetricFamily renewals{"fwhub_scheduler_lease_renewals_total",
                        "counter",
                        "Job leases extended by each scheduler process's heartbeats.",
                        {}};
  MetricFamily conflicts{"fwhub_scheduler_claim_conflicts_total",
                         "counter",
                         "Claims of each scheduler process that lost a conflict with another claim (a deadlock, or "
                         "under Galera another node's claim of the same row) and were tried again.",
                         {}};
  MetricFamily claimed{
      "fwhub_scheduler_jobs_claimed_total", "counter", "Jobs claimed by each scheduler process, by kind.", {}};
  MetricFamily finished{"fwhub_scheduler_jobs_finished_total",
                        "counter",
                        "Job runs ended by each scheduler process, by kind and outcome (succeeded, retried, "
                        "released, failed, lease_lost).",
                        {}};
  MetricFamily age{"fwhub_scheduler_report_age_seconds",
                   "gauge",
                   "Seconds since each scheduler process last reported its counters.",
                   {}};
  std::unique_ptr<sql::ResultSet> rows(c.prepare(kSchedulerCounters)->executeQuery());
  std::string last_owner;
  while (rows->next()) {
    const std::string owner = rows->getString(1);
    const std::string counter = rows->getString(2);
    const std::string kind = rows->getString(3);
    const auto value = static_cast<double>(rows->getUInt64(4));
    if (owner != last_owner) {
      age.samples.push_back({"", {{"scheduler", owner}}, static_cast<double>(rows->getDouble(5))});
      last_owner = owner;
    }
    if (counter == "heartbeats") {
      heartbeats.samples.push_back({"", {{"scheduler", owner}}, value});
    } else if (counter == "lease_renewals") {
      renewals.samples.push_back({"", {{"scheduler", owner}}, value});
    } else if (counter == "claim_conflicts") {
      conflicts.samples.push_back({"", {{"scheduler", owner}}, value});
    } else if (counter == "claimed") {
      claimed.samples.push_back({"", {{"scheduler", owner}, {"kind", kind}}, value});
    } else {
      finished.samples.push_back({"", {{"scheduler", owner}, {"kind", kind}, {"outcome", counter}}, value});
    }
  }
  return {std::move(heartbeats), std::move(renewals), std::move(conflicts),
          std::move(claimed),    std::move(finished), std::move(age)};
}

}  // namespace

std::vector<MetricFamily> MetricsRepository::families() {
  return with_connection(connection_, [](Connection& c) {
    std::vector<MetricFamily> out;
    out.push_back(jobs(c));
    out.push_back(counts_by(c, kBuilds, {"fwhub_builds", "gauge", "Image builds stored, by status.", {}}, "status",
                            {"queued", "running", "done", "failed"}));
    out.push_back(counts_by(c, kBuildEventsToday,
                            {"fwhub_build_events_today",
                             "gauge",
                             "Build requests, cache hits and misses, successes and failures counted today (UTC), as "
                             "/api/v1/builds-per-day shows them.",
                             {}},
                            "event", {"request", "cache_hit", "cache_miss", "success", "failure"}));
    out.push_back(
        counts_by(c, kOperations, {"fwhub_upgrade_operations", "gauge", "Device upgrade operations, by status.", {}},
                  "status", {"queued", "pending", "in-progress", "success", "failed", "cancelled", "aborted"}));
    out.push_back(counts_by(c, kBatches, {"fwhub_batch_upgrades", "gauge", "Batch upgrades, by status.", {}}, "status",
                            {"scheduled", "in-progress", "paused", "success", "failed", "cancelled"}));
    for (auto& family : scheduler_families(c)) {
      out.push_back(std::move(family));
    }
    return out;
  });
}

void MetricsRepository::report(const std::string& owner, const std::vector<domain::SchedulerCounter>& counters) {
  if (counters.empty()) {
    return;
  }
  with_connection(connection_, [&](Connection& c) {
    if (!stale_rows_deleted_) {
      c.prepare(kDeleteStale)->executeUpdate();
      stale_rows_deleted_ = true;
    }
    std::string sql = "INSERT INTO scheduler_counters (owner, counter, kind, value, updated_at) VALUES ";
    for (std::size_t i = 0; i < counters.size(); ++i) {
      sql += (i == 0 ? "(" : ",(") + placeholders(4) + ",NOW(3))";
    }
    auto statement = c.prepare(sql + kReportTail);
    unsigned int column = 1;
    for (const auto& counter : counters) {
      statement->setString(column++, owner);
      statement->setString(column++, counter.counter);
      statement->setString(column++, counter.kind);
      statement->setUInt64(column++, counter.value);
    }
    statement->executeUpdate();
  });
}

}  // namespace fwhub::db
