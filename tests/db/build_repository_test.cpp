// Build repository: how a build ends. A failure closes a build in progress, never one that already
// has its result.
#define BOOST_TEST_MODULE build_repository
#include <boost/test/unit_test.hpp>

#include "fwhub/db/build_repository.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using domain::build::BuildStatus;
using fwhub::testing::TestDatabase;

namespace {

struct Fixture {
  TestDatabase database;
  std::unique_ptr<db::Connection> connection;
  std::unique_ptr<db::BuildRepository> builds;

  Fixture() {
    database.migrate();
    connection = std::make_unique<db::Connection>(database.config());
    builds = std::make_unique<db::BuildRepository>(*connection);
    BOOST_REQUIRE(builds->create({"h1", R"({"profile":"x"})", "23.05.4", "ath79/generic", "x", "test"}));
    builds->set_step("h1", "building_image");
  }

  [[nodiscard]] BuildStatus status() const {
    const auto record = builds->find("h1");
    BOOST_REQUIRE(record.has_value());
    return record->status;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_failure_closes_a_running_build, Fixture) {
  BOOST_TEST(static_cast<int>(status()) == static_cast<int>(BuildStatus::kRunning));
  builds->finish_failed("h1", "Error: the build could not finish: db gone", "", "", 1.0, std::chrono::seconds(60));
  BOOST_TEST(static_cast<int>(status()) == static_cast<int>(BuildStatus::kFailed));
  BOOST_TEST(builds->find("h1")->detail == "Error: the build could not finish: db gone");
}

// Regression: a build job closed as failed after its build was stored as done (the database went
// away between the two) turned the finished build into a failed one.
BOOST_FIXTURE_TEST_CASE(a_failure_after_the_result_keeps_the_result, Fixture) {
  builds->finish_done("h1", R"({"images":[]})", 2.0, std::chrono::seconds(3600));
  builds->finish_failed("h1", "Error: the build could not finish: db gone", "", "", 1.0, std::chrono::seconds(60));
  BOOST_TEST(static_cast<int>(status()) == static_cast<int>(BuildStatus::kDone));
}
