// Metrics repository: the counters scheduler processes report come back as their metric families.
#define BOOST_TEST_MODULE metrics_repository
#include <boost/test/unit_test.hpp>

#include <map>

#include "fwhub/db/metrics_repository.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using fwhub::testing::TestDatabase;

namespace {

const MetricFamily* family(const std::vector<MetricFamily>& families, const std::string& name) {
  for (const auto& f : families) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_CASE(claim_conflicts_are_a_family_of_their_own) {
  TestDatabase database;
  database.migrate();
  db::Connection connection(database.config());
  db::MetricsRepository metrics(connection);
  metrics.report("node-a",
                 {{"heartbeats", "", 4}, {"claim_conflicts", "", 7}, {"claimed", "test", 9}, {"succeeded", "test", 9}});
  metrics.report("node-b", {{"heartbeats", "", 2}, {"claim_conflicts", "", 0}});
  metrics.report("node-a", {{"claim_conflicts", "", 11}});  // later totals replace earlier ones

  const auto families = metrics.families();
  const MetricFamily* conflicts = family(families, "fwhub_scheduler_claim_conflicts_total");
  BOOST_REQUIRE(conflicts != nullptr);
  BOOST_TEST(conflicts->type == "counter");
  std::map<std::string, double> by_scheduler;
  for (const auto& sample : conflicts->samples) {
    BOOST_TEST(sample.labels.size() == 1U);
    BOOST_TEST(sample.labels.at(0).first == "scheduler");
    by_scheduler[sample.labels.at(0).second] = sample.value;
  }
  BOOST_TEST(by_scheduler.size() == 2U);
  BOOST_TEST(by_scheduler["node-a"] == 11.0);
  BOOST_TEST(by_scheduler["node-b"] == 0.0);

  const MetricFamily* finished = family(families, "fwhub_scheduler_jobs_finished_total");
  BOOST_REQUIRE(finished != nullptr);
  BOOST_TEST(finished->samples.size() == 1U);  // succeeded of node-a only, no outcome "claim_conflicts"
  for (const auto& sample : finished->samples) {
    for (const auto& [label, value] : sample.labels) {
      BOOST_TEST(value != "claim_conflicts");
    }
  }
}
