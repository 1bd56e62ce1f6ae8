// SQL errors become the right Error code: Galera's "node not ready" (1047) and lost connections are
// unavailable with the connection reset, lock and certification conflicts (1213, 1205) and failed
// COMMITs (1180, 1181) are unavailable (a retry is right), and rerun_on_lock_conflict reruns conflicts.
#define BOOST_TEST_MODULE sql_error_mapping
#include <boost/test/unit_test.hpp>

#include <cppconn/exception.h>

#include <thread>

#include "support/test_database.hpp"

using namespace fwhub;
using fwhub::testing::TestDatabase;

namespace {

// The Error that with_connection makes of a server error with this code.
Error mapped(db::Connection& connection, int code) {
  try {
    db::with_connection(connection, [code](db::Connection&) { throw sql::SQLException("test", "HY000", code); });
  } catch (const Error& error) {
    return error;
  }
  BOOST_FAIL("with_connection did not throw");
  return Error(Code::kOk, "");
}

}  // namespace

BOOST_AUTO_TEST_CASE(galera_and_conflict_errors_are_unavailable) {
  db::init_driver();
  db::Connection connection(DatabaseConfig{});
  for (const int code : {1047, 2006, 2013, 1927, 1213, 1205, 1180, 1181}) {
    BOOST_TEST(static_cast<int>(mapped(connection, code).code()) == static_cast<int>(Code::kUnavailable),
               "error " << code);
  }
  for (const int code : {1062, 1064, 1146}) {
    BOOST_TEST(static_cast<int>(mapped(connection, code).code()) == static_cast<int>(Code::kInternal),
               "error " << code);
  }
}

BOOST_AUTO_TEST_CASE(a_node_that_is_not_ready_resets_the_connection_a_conflict_does_not) {
  TestDatabase database;
  db::Connection connection(database.config());
  const auto id = [&connection] {
    std::unique_ptr<sql::Statement> statement(connection.get().createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SELECT CONNECTION_ID()"));
    rows->next();
    return rows->getUInt64(1);
  };
  const auto first = id();
  mapped(connection, 1213);
  BOOST_TEST(id() == first);
  mapped(connection, 1047);
  BOOST_TEST(id() != first);  // a new connection
}

BOOST_AUTO_TEST_CASE(rerun_on_lock_conflict_reruns_then_gives_up_unavailable) {
  db::init_driver();
  db::Connection connection(DatabaseConfig{});
  int runs = 0;
  const int result = db::rerun_on_lock_conflict(connection, [&runs](db::Connection&) {
    if (++runs < 3) {
      throw sql::SQLException("certification failed", "40001", 1213);
    }
    return runs;
  });
  BOOST_TEST(result == 3);
  runs = 0;
  BOOST_CHECK_EXCEPTION(db::rerun_on_lock_conflict(connection,
                                                   [&runs](db::Connection&) -> int {
                                                     ++runs;
                                                     throw sql::SQLException("deadlock", "40001", 1213);
                                                   }),
                        Error, [](const Error& error) { return error.code() == Code::kUnavailable; });
  BOOST_TEST(runs == 5);
}

BOOST_AUTO_TEST_CASE(a_real_deadlock_is_rerun_and_commits) {
  TestDatabase database;
  database.execute_here("CREATE TABLE pair (id INT PRIMARY KEY, v INT) ENGINE = InnoDB");
  database.execute_here("INSERT INTO pair VALUES (1, 0), (2, 0)");
  db::Connection a(database.config());
  db::Connection b(database.config());
  // Each transaction locks one row, then waits for the other's: InnoDB rolls one of them back
  // with 1213, and its rerun commits after the other finished.
  const auto cross = [](db::Connection& connection, int first, int second, int& runs) {
    return db::rerun_on_lock_conflict(connection, [&](db::Connection& c) {
      ++runs;
      db::Transaction transaction(c);
      std::unique_ptr<sql::Statement> statement(c.get().createStatement());
      statement->execute("UPDATE pair SET v = v + 1 WHERE id = " + std::to_string(first));
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      statement->execute("UPDATE pair SET v = v + 1 WHERE id = " + std::to_string(second));
      transaction.commit();
    });
  };
  int runs_a = 0;
  int runs_b = 0;
  std::thread other([&] { cross(b, 2, 1, runs_b); });
  cross(a, 1, 2, runs_a);
  other.join();
  BOOST_TEST(runs_a + runs_b == 3);  // one of them ran twice
  BOOST_TEST(database.scalar("SELECT SUM(v) FROM pair") == "4");
}
