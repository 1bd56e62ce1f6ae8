// A connection prepares a repeated SQL text once and reuses it: parameters cleared on reuse,
// bounded in number, prepared again after the connection was lost.
#define BOOST_TEST_MODULE statement_cache
#include <boost/test/unit_test.hpp>

#include <cppconn/exception.h>
#include <cppconn/resultset.h>
#include <cppconn/statement.h>

#include <memory>
#include <string>

#include "fwhub/db/connection.hpp"
#include "fwhub/db/statement.hpp"
#include "support/test_database.hpp"

using fwhub::db::Connection;
using fwhub::testing::TestDatabase;

namespace {

// How many statements this session prepared so far (the server's own count).
std::int64_t prepared(Connection& connection) {
  std::unique_ptr<sql::Statement> statement(connection.get().createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'"));
  BOOST_REQUIRE(rows->next());
  return rows->getInt64(2);
}

std::int64_t connection_id(Connection& connection) {
  return fwhub::db::query_int(connection, "SELECT CONNECTION_ID() + 0 * ?", {"0"});
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_repeated_statement_is_prepared_once_and_answers_with_new_values) {
  TestDatabase database;
  Connection connection(database.config());
  const std::int64_t before = prepared(connection);
  for (int i = 0; i < 20; ++i) {
    BOOST_TEST(fwhub::db::query_int(connection, "SELECT ? + 1", {std::to_string(i)}) == i + 1);
  }
  BOOST_TEST(prepared(connection) - before == 1);
}

BOOST_AUTO_TEST_CASE(a_reused_statement_keeps_no_parameter_of_its_last_use) {
  TestDatabase database;
  Connection connection(database.config());
  BOOST_TEST(fwhub::db::query_int(connection, "SELECT ? + 1", {"41"}) == 42);
  auto* statement = connection.prepare("SELECT ? + 1");
  BOOST_CHECK_THROW(std::unique_ptr<sql::ResultSet>(statement->executeQuery()), sql::SQLException);
}

BOOST_AUTO_TEST_CASE(the_least_recently_used_statement_goes_when_the_cache_is_full) {
  TestDatabase database;
  Connection connection(database.config());
  const std::string first = "SELECT ? + 100";
  BOOST_TEST(fwhub::db::query_int(connection, first, {"1"}) == 101);
  const std::int64_t before = prepared(connection);
  // 31 more texts fill the cache of 32: the first one is still there.
  for (int i = 0; i < 31; ++i) {
    BOOST_TEST(fwhub::db::query_int(connection, "SELECT ? + " + std::to_string(i), {"0"}) == i);
  }
  BOOST_TEST(fwhub::db::query_int(connection, first, {"2"}) == 102);
  BOOST_TEST(prepared(connection) - before == 31);
  // 32 new texts push it out; using it again prepares it again.
  for (int i = 0; i < 32; ++i) {
    BOOST_TEST(fwhub::db::query_int(connection, "SELECT ? + " + std::to_string(1000 + i), {"0"}) == 1000 + i);
  }
  const std::int64_t full = prepared(connection);
  BOOST_TEST(fwhub::db::query_int(connection, first, {"3"}) == 103);
  BOOST_TEST(prepared(connection) - full == 1);
}

BOOST_AUTO_TEST_CASE(statements_are_prepared_again_on_a_new_connection_after_a_lost_one) {
  TestDatabase database;
  Connection connection(database.config());
  const std::int64_t first = connection_id(connection);
  Connection killer(database.config());
  std::unique_ptr<sql::Statement>(killer.get().createStatement())->execute("KILL " + std::to_string(first));
  // The cached statement dies with its connection: the call fails as unavailable, the next one
  // connects again and prepares it anew.
  BOOST_CHECK_THROW(fwhub::db::with_connection(connection, [](Connection& c) { return connection_id(c); }),
                    fwhub::Error);
  const std::int64_t second = fwhub::db::with_connection(connection, [](Connection& c) { return connection_id(c); });
  BOOST_TEST(second != first);
  BOOST_TEST(fwhub::db::query_int(connection, "SELECT ? + 1", {"1"}) == 2);
}
