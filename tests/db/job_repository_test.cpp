// Job repository: enqueue, claim order, deduplication, steps, leases, retries, release, cleanup.
#define BOOST_TEST_MODULE job_repository
#include <boost/test/unit_test.hpp>

#include "fwhub/db/job_repository.hpp"
#include "support/fake_random.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using namespace std::chrono_literals;
using fwhub::domain::JobState;
using fwhub::testing::TestDatabase;

namespace {

struct Fixture {
  TestDatabase database;
  std::unique_ptr<db::Connection> connection;
  std::unique_ptr<db::JobRepository> jobs;
  const std::vector<std::string> kinds{"a", "b"};

  Fixture() {
    database.migrate();
    connection = std::make_unique<db::Connection>(database.config());
    jobs = std::make_unique<db::JobRepository>(*connection);
  }

  std::uint64_t add(const std::string& kind, int priority = 0, std::chrono::milliseconds delay = 0ms) {
    domain::NewJob job;
    job.kind = kind;
    job.priority = priority;
    job.delay = delay;
    return jobs->enqueue(job).value();
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(claim_takes_highest_priority_then_oldest, Fixture) {
  const auto low = add("a", 0);
  const auto high = add("a", 5);
  const auto later = add("a", 0);
  BOOST_TEST(jobs->claim("s1", 30s, kinds)->id == high);
  BOOST_TEST(jobs->claim("s1", 30s, kinds)->id == low);
  const auto third = jobs->claim("s1", 30s, kinds);
  BOOST_TEST(third->id == later);
  BOOST_TEST(third->attempts == 1);
  BOOST_TEST(static_cast<int>(third->state) == static_cast<int>(JobState::kRunning));
  BOOST_TEST(!jobs->claim("s1", 30s, kinds).has_value());
}

BOOST_FIXTURE_TEST_CASE(a_spread_claim_picks_among_the_first_due_jobs_of_the_top_priority, Fixture) {
  const auto first = add("a", 0);
  const auto second = add("a", 0);
  const auto third = add("a", 0);
  const auto fourth = add("a", 0);  // beyond the spread of 3 until one of the first three is taken
  const auto urgent = add("a", 2);
  testing::FakeRandom random({0.99, 0.5, 0.0});
  db::ClaimOptions options;
  options.spread = 3;
  db::JobRepository spread(*connection, options, random);
  // Only the one job of the top priority is a candidate (no draw).
  BOOST_TEST(spread.claim("s1", 30s, kinds)->id == urgent);
  // Then among the first three of priority 0: 0.99 -> the last of first, second, third.
  BOOST_TEST(spread.claim("s1", 30s, kinds)->id == third);
  // 0.5 -> the middle of first, second, fourth; 0.0 -> the first of first, fourth.
  BOOST_TEST(spread.claim("s1", 30s, kinds)->id == second);
  BOOST_TEST(spread.claim("s1", 30s, kinds)->id == first);
  BOOST_TEST(spread.claim("s1", 30s, kinds)->id == fourth);  // alone: no draw
  BOOST_TEST(!spread.claim("s1", 30s, kinds).has_value());
}

BOOST_FIXTURE_TEST_CASE(a_spread_claim_passes_over_candidates_locked_by_another_claim, Fixture) {
  const auto first = add("a", 0);
  const auto second = add("a", 0);
  testing::FakeRandom random({0.0});
  db::ClaimOptions options;
  options.spread = 2;
  db::JobRepository spread(*connection, options, random);
  // Another scheduler on the same server holds the first candidate's row lock mid-claim.
  db::Connection other(database.config());
  db::Transaction holding(other);
  std::unique_ptr<sql::Statement> statement(other.get().createStatement());
  std::unique_ptr<sql::ResultSet> rows(
      statement->executeQuery("SELECT id FROM jobs WHERE id = " + std::to_string(first) + " FOR UPDATE"));
  BOOST_TEST(spread.claim("s1", 30s, kinds)->id == second);
  BOOST_TEST(!spread.claim("s1", 30s, kinds).has_value());  // the only one left is locked
}

BOOST_FIXTURE_TEST_CASE(only_registered_kinds_and_due_jobs_are_claimed, Fixture) {
  add("other");
  add("a", 0, 60s);
  BOOST_TEST(!jobs->claim("s1", 30s, kinds).has_value());
  const auto b = add("b");
  BOOST_TEST(jobs->claim("s1", 30s, kinds)->id == b);
}

BOOST_FIXTURE_TEST_CASE(active_key_deduplicates_unfinished_jobs, Fixture) {
  domain::NewJob job;
  job.kind = "a";
  job.active_key = "build:abc";
  const auto first = jobs->enqueue(job);
  BOOST_REQUIRE(first.has_value());
  BOOST_TEST(!jobs->enqueue(job).has_value());
  const auto claimed = jobs->claim("s1", 30s, kinds);
  BOOST_TEST(!jobs->enqueue(job).has_value());
  BOOST_TEST(jobs->succeed(claimed->id, "s1"));
  BOOST_TEST(jobs->enqueue(job).has_value());
}

BOOST_FIXTURE_TEST_CASE(steps_and_outcomes_need_the_lease, Fixture) {
  const auto id = add("a");
  const auto job = jobs->claim("s1", 30s, kinds);
  BOOST_TEST(jobs->record_step(id, "s1", "download", R"({"bytes":1})"));
  BOOST_TEST(jobs->record_step(id, "s1", "download", R"({"bytes":1})"));  // unchanged values still count
  BOOST_TEST(!jobs->record_step(id, "s2", "unpack", "{}"));
  BOOST_TEST(!jobs->succeed(id, "s2"));
  const auto stored = jobs->find(id);
  BOOST_TEST(stored->step == "download");
  BOOST_TEST(stored->step_data == R"({"bytes":1})");
  BOOST_TEST(jobs->fail(id, "s1", "boom"));
  BOOST_TEST(jobs->find(id)->last_error == "boom");
  BOOST_TEST(static_cast<int>(jobs->find(id)->state) == static_cast<int>(JobState::kFailed));
  BOOST_TEST(!jobs->fail(id, "s1", "twice"));
}

BOOST_FIXTURE_TEST_CASE(retry_later_requeues_in_the_future, Fixture) {
  const auto id = add("a");
  jobs->claim("s1", 30s, kinds);
  BOOST_TEST(jobs->retry_later(id, "s1", "mirror down", 60s));
  BOOST_TEST(!jobs->claim("s1", 30s, kinds).has_value());
  BOOST_TEST(
      database.scalar("SELECT run_at > NOW(3) + INTERVAL 50 SECOND FROM jobs WHERE id = " + std::to_string(id)) == "1");
  database.execute_here("UPDATE jobs SET run_at = NOW(3) WHERE id = " + std::to_string(id));
  const auto again = jobs->claim("s1", 30s, kinds);
  BOOST_TEST(again->attempts == 2);
  BOOST_TEST(again->last_error == "mirror down");
}

BOOST_FIXTURE_TEST_CASE(release_does_not_count_an_attempt, Fixture) {
  const auto id = add("a");
  jobs->claim("s1", 30s, kinds);
  BOOST_TEST(jobs->release(id, "s1"));
  BOOST_TEST(jobs->claim("s2", 30s, kinds)->attempts == 1);
}

// A job that waited for something outside (a device rebooting) holds work in progress: once due
// it goes before jobs that have not started, even older ones (bench/batch: 560 devices waited for
// their reconnect behind 600 first uploads).
BOOST_FIXTURE_TEST_CASE(deferred_jobs_go_before_jobs_not_started, Fixture) {
  const auto waiting = add("a");
  BOOST_REQUIRE(jobs->claim("s1", 30s, kinds)->id == waiting);
  const auto fresh = add("a");
  BOOST_TEST(jobs->defer(waiting, "s1", 0ms));
  const auto first = jobs->claim("s1", 30s, kinds);
  BOOST_TEST(first->id == waiting);
  BOOST_TEST(first->attempts == 1);  // a wait is not an attempt
  BOOST_TEST(first->priority == 1);
  BOOST_TEST(jobs->claim("s1", 30s, kinds)->id == fresh);
  const auto urgent = add("a", 5);  // a higher priority stays higher
  BOOST_TEST(jobs->defer(waiting, "s1", 0ms));
  BOOST_TEST(jobs->claim("s1", 30s, kinds)->id == urgent);
  BOOST_TEST(jobs->claim("s1", 30s, kinds)->id == waiting);
}

BOOST_FIXTURE_TEST_CASE(expired_lease_is_taken_over_and_renewal_keeps_it, Fixture) {
  const auto id = add("a");
  jobs->claim("s1", 2s, kinds);
  BOOST_TEST(jobs->renew_leases("s1", 2s) == 1);
  BOOST_TEST(!jobs->claim("s2", 30s, kinds).has_value());
  database.execute_here("UPDATE jobs SET lease_expires = NOW(3) - INTERVAL 1 SECOND WHERE id = " + std::to_string(id));
  const auto taken = jobs->claim("s2", 30s, kinds);
  BOOST_TEST(taken->id == id);
  BOOST_TEST(taken->attempts == 2);
  BOOST_TEST(jobs->renew_leases("s1", 2s) == 0);
  BOOST_TEST(!jobs->succeed(id, "s1"));
  BOOST_TEST(jobs->succeed(id, "s2"));
}

BOOST_FIXTURE_TEST_CASE(cleanup_deletes_only_old_finished_jobs, Fixture) {
  const auto old_done = add("a");
  const auto new_done = add("a");
  const auto queued = add("b", 0, 3600s);
  for (int i = 0; i < 2; ++i) {
    const auto job = jobs->claim("s1", 30s, kinds);
    jobs->succeed(job->id, "s1");
  }
  database.execute_here("UPDATE jobs SET finished_at = NOW(3) - INTERVAL 200 HOUR WHERE id = " +
                        std::to_string(old_done));
  BOOST_TEST(jobs->delete_finished_older_than(std::chrono::hours(168)) == 1);
  BOOST_TEST(!jobs->find(old_done).has_value());
  BOOST_TEST(jobs->find(new_done).has_value());
  BOOST_TEST(jobs->find(queued).has_value());
}

BOOST_FIXTURE_TEST_CASE(lost_connection_is_unavailable_then_recovers, Fixture) {
  const std::string connection_id = [&] {
    std::unique_ptr<sql::Statement> statement(connection->get().createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SELECT CONNECTION_ID()"));
    rows->next();
    return std::string(rows->getString(1));
  }();
  database.execute_here("KILL " + connection_id);
  try {
    add("a");
    BOOST_FAIL("a killed connection must fail the first statement");
  } catch (const Error& error) {
    BOOST_TEST(static_cast<int>(error.code()) == static_cast<int>(Code::kUnavailable));
  }
  BOOST_TEST(add("a") > 0U);
}

BOOST_FIXTURE_TEST_CASE(periodic_rows_are_rescheduled_and_brought_forward, Fixture) {
  domain::NewJob job;
  job.kind = "a";
  job.active_key = "periodic:a";
  const auto id = jobs->enqueue(job).value();
  jobs->claim("s1", 30s, kinds);
  jobs->record_step(id, "s1", "half", "{}");
  BOOST_TEST(jobs->reschedule(id, "s1", "", 3600s));
  const auto stored = jobs->find(id);
  BOOST_TEST(stored->attempts == 0);
  BOOST_TEST(stored->step.empty());
  BOOST_TEST(static_cast<int>(stored->state) == static_cast<int>(JobState::kQueued));
  BOOST_TEST(!jobs->claim("s1", 30s, kinds).has_value());
  BOOST_TEST(jobs->find_active("periodic:a")->second);  // waiting for a future run
  BOOST_TEST(!jobs->enqueue(job).has_value());          // still one row per periodic kind
  BOOST_TEST(jobs->bring_forward("periodic:a"));
  BOOST_TEST(!jobs->find_active("periodic:a")->second);
  BOOST_TEST(jobs->claim("s1", 30s, kinds)->id == id);
  BOOST_TEST(!jobs->bring_forward("periodic:a"));  // running: nothing to bring forward
}
