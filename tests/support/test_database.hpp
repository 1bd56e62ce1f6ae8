// A throw-away database per test program: created, migrated, and dropped again.
// Reads FWHUB_TEST_DB_HOST, _PORT, _USER, _PASSWORD (set by scripts/test).
#pragma once

#include <cstdlib>
#include <memory>
#include <string>

#include <cppconn/statement.h>

#include "fwhub/common/random.hpp"
#include "fwhub/db/connection.hpp"
#include "fwhub/db/migrator.hpp"

namespace fwhub::testing {

inline std::string env_or(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : fallback;
}

class TestDatabase {
 public:
  TestDatabase() {
    db::init_driver();
    config_.host = env_or("FWHUB_TEST_DB_HOST", "127.0.0.1");
    config_.port = std::stoi(env_or("FWHUB_TEST_DB_PORT", "3306"));
    config_.user = env_or("FWHUB_TEST_DB_USER", "fwhub_test");
    config_.password = env_or("FWHUB_TEST_DB_PASSWORD", "");
    config_.name = "";
    admin_ = std::make_unique<db::Connection>(config_);
    config_.name = "fwhub_test_" + random_hex(6);
    execute("CREATE DATABASE " + config_.name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
  }
  ~TestDatabase() {
    try {
      execute("DROP DATABASE IF EXISTS " + config_.name);
    } catch (...) {  // NOLINT(bugprone-empty-catch): best effort in a destructor
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  [[nodiscard]] const DatabaseConfig& config() const { return config_; }
  [[nodiscard]] static std::string sql_dir() { return FWHUB_SOURCE_DIR "/sql"; }

  // Applies the project's migrations.
  void migrate() {
    db::Connection connection(config_);
    db::migrate(connection, sql_dir());
  }

  // Runs one statement in this database (through a fresh connection).
  void execute_here(const std::string& sql) {
    db::Connection connection(config_);
    std::unique_ptr<sql::Statement> statement(connection.get().createStatement());
    statement->execute(sql);
  }

  // Returns the first column of the first row as a string ("" when no row).
  std::string scalar(const std::string& sql) {
    db::Connection connection(config_);
    std::unique_ptr<sql::Statement> statement(connection.get().createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(sql));
    return rows->next() ? std::string(rows->getString(1)) : "";
  }

 private:
  void execute(const std::string& sql) {
    std::unique_ptr<sql::Statement> statement(admin_->get().createStatement());
    statement->execute(sql);
  }

  DatabaseConfig config_;
  std::unique_ptr<db::Connection> admin_;
};

}  // namespace fwhub::testing
