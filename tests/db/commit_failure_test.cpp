// A COMMIT that fails is reported, never taken for success (Connector/C++ 1.1's commit() dropped
// the server's answer: a transaction whose connection died at COMMIT looked committed, and a
// scheduler ran a job whose claim had been rolled back).
#define BOOST_TEST_MODULE commit_failure
#include <boost/test/unit_test.hpp>

#include <thread>

#include "fwhub/db/job_repository.hpp"
#include "support/commit_proxy.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using namespace std::chrono_literals;
using fwhub::testing::TestDatabase;

namespace {

struct Fixture {
  TestDatabase database;

  Fixture() { database.migrate(); }

  // Waits until the server has ended connection `id` (KILL is carried out by the victim's thread).
  void wait_gone(const std::string& id) {
    for (int i = 0; i < 100; ++i) {
      if (database.scalar("SELECT COUNT(*) FROM information_schema.processlist WHERE id = " + id) == "0") {
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
    BOOST_FAIL("connection " + id + " was not killed");
  }
};

bool unavailable(const Error& error) {
  return error.code() == Code::kUnavailable;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(commit_on_a_killed_connection_throws_unavailable, Fixture) {
  db::Connection connection(database.config());
  BOOST_CHECK_EXCEPTION(
      db::with_connection(connection,
                          [&](db::Connection& c) {
                            db::Transaction transaction(c);
                            auto insert =
                                c.prepare("INSERT INTO jobs (kind, payload, run_at) VALUES ('k', '{}', NOW())");
                            insert->executeUpdate();
                            std::unique_ptr<sql::Statement> statement(c.get().createStatement());
                            std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SELECT CONNECTION_ID()"));
                            rows->next();
                            const std::string id = rows->getString(1);
                            database.execute_here("KILL CONNECTION " + id);
                            wait_gone(id);
                            transaction.commit();
                          }),
      Error, unavailable);
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM jobs") == "0");
  // The connection recovers: the next transaction commits.
  db::with_connection(connection, [](db::Connection& c) {
    db::Transaction transaction(c);
    c.prepare("INSERT INTO jobs (kind, payload, run_at) VALUES ('k', '{}', NOW())")->executeUpdate();
    transaction.commit();
  });
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM jobs") == "1");
}

BOOST_FIXTURE_TEST_CASE(a_claim_whose_commit_is_lost_returns_no_job, Fixture) {
  db::Connection direct(database.config());
  db::JobRepository queue(direct);
  domain::NewJob job;
  job.kind = "a";
  const auto id = queue.enqueue(job).value();

  testing::CommitProxy proxy(database.config().host, database.config().port);
  DatabaseConfig through_proxy = database.config();
  through_proxy.host = "127.0.0.1";  // the proxy listens there
  through_proxy.port = proxy.port();
  db::Connection connection(through_proxy);
  db::JobRepository jobs(connection);
  proxy.arm_cut();
  BOOST_CHECK_EXCEPTION(jobs.claim("s1", 30s, {"a"}), Error, unavailable);
  BOOST_TEST(proxy.cuts() == 1);
  // The claim was rolled back: the job is still queued, unclaimed, and the next claim gets it.
  const auto stored = queue.find(id);
  BOOST_TEST(static_cast<int>(stored->state) == static_cast<int>(domain::JobState::kQueued));
  BOOST_TEST(stored->attempts == 0);
  const auto claimed = jobs.claim("s1", 30s, {"a"});
  BOOST_REQUIRE(claimed.has_value());
  BOOST_TEST(claimed->id == id);
  BOOST_TEST(claimed->attempts == 1);
}
