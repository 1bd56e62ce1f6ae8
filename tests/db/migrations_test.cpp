// Migrations: from empty, re-run as a no-op, changed and failing files, statement splitting, and
// the lock row that serializes runs (also across Galera nodes, where GET_LOCK() is node-local).
#define BOOST_TEST_MODULE migrations
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <thread>

#include "support/test_database.hpp"

using namespace fwhub;
using fwhub::testing::TestDatabase;

namespace {

struct TempDir {
  std::filesystem::path path = std::filesystem::temp_directory_path() / ("fwhub-sql-" + random_hex(4));
  TempDir() { std::filesystem::create_directories(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

std::string error_of(db::Connection& connection, const std::string& dir) {
  try {
    db::migrate(connection, dir);
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(project_migrations_apply_from_empty_and_rerun_is_a_no_op) {
  TestDatabase database;
  db::Connection connection(database.config());
  const auto first = db::migrate(connection, TestDatabase::sql_dir());
  BOOST_TEST(!first.empty());
  BOOST_TEST(first.front() == "001_jobs.sql");
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM schema_migrations") == std::to_string(first.size()));
  BOOST_TEST(db::migrate(connection, TestDatabase::sql_dir()).empty());
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM jobs") == "0");
}

BOOST_AUTO_TEST_CASE(failed_migration_names_its_file_and_is_not_recorded) {
  TestDatabase database;
  db::Connection connection(database.config());
  TempDir dir;
  dir.write("001_a.sql", "CREATE TABLE a (id INT);\n-- a comment; with a semicolon\nINSERT INTO a VALUES (1);");
  dir.write("002_b.sql", "CREATE TABLE b (id INT);\nSELEC broken;");
  dir.write("003_c.sql", "CREATE TABLE c (id INT);");
  const std::string error = error_of(connection, dir.path.string());
  BOOST_TEST(error.find("migration 002_b.sql failed") == 0U);
  BOOST_TEST(database.scalar("SELECT GROUP_CONCAT(version ORDER BY version) FROM schema_migrations") == "1");
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                             " AND table_name = 'c'") == "0");
  // Fixed file: the run resumes with 002 (written idempotently) and 003.
  dir.write("002_b.sql", "CREATE TABLE IF NOT EXISTS b (id INT);");
  const auto applied = db::migrate(connection, dir.path.string());
  BOOST_TEST(applied == (std::vector<std::string>{"002_b.sql", "003_c.sql"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(concurrent_runs_apply_each_migration_once_under_the_lock_row) {
  TestDatabase database;
  TempDir dir;
  // A migration that is not idempotent: run twice at once it fails ("table exists").
  dir.write("001_a.sql", "CREATE TABLE a (id INT);\nDO SLEEP(0.5);\nINSERT INTO a VALUES (1);");
  dir.write("002_b.sql", "INSERT INTO a VALUES (2);");
  std::vector<std::vector<std::string>> applied(3);
  std::vector<std::string> errors(3);
  std::vector<std::thread> runs;
  for (std::size_t i = 0; i < applied.size(); ++i) {
    runs.emplace_back([&, i] {
      db::Connection connection(database.config());
      try {
        applied[i] = db::migrate(connection, dir.path.string());
      } catch (const Error& error) {
        errors[i] = error.what();
      }
    });
  }
  for (auto& run : runs) {
    run.join();
  }
  std::size_t total = 0;
  for (std::size_t i = 0; i < applied.size(); ++i) {
    BOOST_TEST(errors[i].empty(), errors[i]);
    total += applied[i].size();
  }
  BOOST_TEST(total == 2U);
  BOOST_TEST(database.scalar("SELECT GROUP_CONCAT(id ORDER BY id) FROM a") == "1,2");
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM schema_migration_lock") == "0");  // released
}

BOOST_AUTO_TEST_CASE(a_dead_holders_expired_lock_is_taken_over) {
  TestDatabase database;
  TempDir dir;
  dir.write("001_a.sql", "CREATE TABLE a (id INT);");
  db::Connection connection(database.config());
  db::migrate(connection, dir.path.string());
  database.execute_here(
      "INSERT INTO schema_migration_lock (id, owner, expires_at) VALUES (1, 'dead', NOW(3) - INTERVAL 1 SECOND)");
  dir.write("002_b.sql", "CREATE TABLE b (id INT);");
  BOOST_TEST(db::migrate(connection, dir.path.string()) == (std::vector<std::string>{"002_b.sql"}),
             boost::test_tools::per_element());
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM schema_migration_lock") == "0");
}

BOOST_AUTO_TEST_CASE(changed_applied_migration_is_refused) {
  TestDatabase database;
  db::Connection connection(database.config());
  TempDir dir;
  dir.write("001_a.sql", "CREATE TABLE a (id INT);");
  db::migrate(connection, dir.path.string());
  dir.write("001_a.sql", "CREATE TABLE a (id BIGINT);");
  BOOST_TEST(error_of(connection, dir.path.string()) ==
             "migration 001_a.sql was changed after it was applied "
             "(recorded as 001_a.sql)");
}

BOOST_AUTO_TEST_CASE(bad_names_and_duplicates_are_refused) {
  TempDir dir;
  dir.write("1_short.sql", "SELECT 1;");
  BOOST_CHECK_THROW(db::read_migrations(dir.path.string()), Error);
  TempDir twice;
  twice.write("001_a.sql", "SELECT 1;");
  twice.write("001_b.sql", "SELECT 1;");
  BOOST_CHECK_THROW(db::read_migrations(twice.path.string()), Error);
  BOOST_CHECK_THROW(db::read_migrations("/nonexistent/fwhub/sql"), Error);
}

BOOST_AUTO_TEST_CASE(statements_split_outside_quotes_and_comments) {
  const auto statements = db::split_statements(
      "CREATE TABLE t (a TEXT DEFAULT 'x;y');\n-- c;\nINSERT INTO t VALUES ('it''s; fine', \"q;\", `b;`);\n\n");
  BOOST_REQUIRE(statements.size() == 2U);
  BOOST_TEST(statements[0].find("'x;y'") != std::string::npos);
  BOOST_TEST(statements[1].find("'it''s; fine', \"q;\", `b;`") != std::string::npos);
}
