// Migration discovery, statement splitting and application.
#include "fwhub/db/migrator.hpp"

#include <cppconn/statement.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <thread>

#include "fwhub/common/file_text.hpp"
#include "fwhub/common/random.hpp"
#include "fwhub/common/sha256.hpp"

namespace fwhub::db {
namespace {

constexpr const char* kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INT NOT NULL PRIMARY KEY,"
    " name VARCHAR(255) NOT NULL,"
    " checksum CHAR(64) NOT NULL,"
    " applied_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
    ") ENGINE = InnoDB";
constexpr const char* kSelectApplied = "SELECT version, name, checksum FROM schema_migrations";
constexpr const char* kInsertApplied = "INSERT INTO schema_migrations (version, name, checksum) VALUES (?, ?, ?)";
// The lock is a row, not GET_LOCK(): Galera replicates rows (a second node's INSERT of the same
// row fails at certification or as a duplicate) but keeps GET_LOCK() and row locks on one node.
// A holder that died leaves the row behind; it expires and the next run takes it over.
constexpr const char* kCreateLockTable =
    "CREATE TABLE IF NOT EXISTS schema_migration_lock ("
    " id TINYINT NOT NULL PRIMARY KEY,"
    " owner CHAR(16) NOT NULL,"
    " expires_at DATETIME(3) NOT NULL"
    ") ENGINE = InnoDB";
// These three take the lock's length in seconds, then the owner.
constexpr const char* kTakeLock =
    "INSERT INTO schema_migration_lock (id, expires_at, owner) VALUES (1, NOW(3) + INTERVAL ? SECOND, ?)";
constexpr const char* kTakeOverLock =
    "UPDATE schema_migration_lock SET expires_at = NOW(3) + INTERVAL ? SECOND, owner = ?"
    " WHERE id = 1 AND expires_at < NOW(3)";
constexpr const char* kRenewLock =
    "UPDATE schema_migration_lock SET expires_at = NOW(3) + INTERVAL ? SECOND WHERE id = 1 AND owner = ?";
constexpr const char* kReleaseLock = "DELETE FROM schema_migration_lock WHERE id = 1 AND owner = ?";

constexpr int kDuplicateKey = 1062;
constexpr int kLockSeconds = 600;                    // a holder renews it before each migration
constexpr std::chrono::seconds kLockWait{120};       // how long a run waits for another one
constexpr std::chrono::milliseconds kLockPoll{200};  // between its tries

// Takes, takes over or renews the lock for `owner`; the rows changed.
int lock_statement(sql::Connection& connection, const char* sql, const std::string& owner) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(sql));
  statement->setInt(1, kLockSeconds);
  statement->setString(2, owner);
  return statement->executeUpdate();
}

void release_lock(sql::Connection& connection, const std::string& owner) {
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(kReleaseLock));
  statement->setString(1, owner);
  statement->executeUpdate();
}

// One try at the cluster-wide migration lock: free (inserted) or expired (taken over).
bool try_lock(sql::Connection& connection, const std::string& owner) {
  try {
    lock_statement(connection, kTakeLock, owner);
    return true;
  } catch (const sql::SQLException& error) {
    if (error.getErrorCode() != kDuplicateKey && !is_lock_conflict(error)) {
      throw;
    }
  }
  try {
    return lock_statement(connection, kTakeOverLock, owner) == 1;
  } catch (const sql::SQLException& error) {
    if (!is_lock_conflict(error)) {
      throw;
    }
    return false;
  }
}

// Takes the lock, waiting up to kLockWait for another run to finish.
void take_lock(sql::Connection& connection, const std::string& owner) {
  const auto deadline = std::chrono::steady_clock::now() + kLockWait;
  while (!try_lock(connection, owner)) {
    if (std::chrono::steady_clock::now() > deadline) {
      throw Error(Code::kUnavailable, "another migration holds the lock");
    }
    std::this_thread::sleep_for(kLockPoll);
  }
}

}  // namespace

std::vector<Migration> read_migrations(const std::string& dir) {
  static const std::regex kName(R"(^(\d{3})_[a-z0-9_]+\.sql$)");
  std::map<int, Migration> found;
  if (!std::filesystem::is_directory(dir)) {
    throw Error(Code::kInvalidArgument, "migrations folder not found: " + dir);
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    std::smatch match;
    if (!entry.is_regular_file() || !name.ends_with(".sql")) {
      continue;
    }
    if (!std::regex_match(name, match, kName)) {
      throw Error(Code::kInvalidArgument, "migration file name must be NNN_name.sql: " + name);
    }
    const int version = std::stoi(match[1].str());
    if (found.contains(version)) {
      throw Error(Code::kInvalidArgument,
                  "two migrations numbered " + match[1].str() + ": " + found[version].name + " and " + name);
    }
    Migration migration{version, name, read_file(entry.path()), ""};
    migration.checksum = sha256_hex(migration.sql);
    found[version] = std::move(migration);
  }
  std::vector<Migration> ordered;
  ordered.reserve(found.size());
  for (auto& [version, migration] : found) {
    ordered.push_back(std::move(migration));
  }
  return ordered;
}

std::vector<std::string> split_statements(const std::string& script) {
  std::vector<std::string> statements;
  std::string current;
  char quote = 0;
  for (std::size_t i = 0; i < script.size(); ++i) {
    const char c = script[i];
    if (quote != 0) {
      current.push_back(c);
      if (c == '\\' && quote != '`' && i + 1 < script.size()) {
        current.push_back(script[++i]);
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (c == '-' && i + 1 < script.size() && script[i + 1] == '-') {
      i = std::min(script.find('\n', i), script.size());
      current.push_back('\n');
      continue;
    }
    if (c == '\'' || c == '"' || c == '`') {
      quote = c;
    }
    if (c == ';') {
      statements.push_back(current);
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  statements.push_back(current);
  std::erase_if(statements, [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isspace(ch) != 0; });
  });
  return statements;
}

std::vector<std::string> migrate(Connection& connection, const std::string& dir) {
  const std::vector<Migration> migrations = read_migrations(dir);
  return with_connection(connection, [&](Connection& c) {
    sql::Connection& raw = c.get();
    std::unique_ptr<sql::Statement> statement(raw.createStatement());
    statement->execute(kCreateLockTable);
    const std::string owner = random_hex(8);
    take_lock(raw, owner);
    struct Unlock {
      sql::Connection& raw;
      const std::string& owner;
      ~Unlock() {
        try {
          release_lock(raw, owner);
        } catch (const sql::SQLException&) {  // NOLINT(bugprone-empty-catch): the row expires
        }
      }
    } unlock{raw, owner};
    statement->execute(kCreateTable);
    std::map<int, std::pair<std::string, std::string>> applied;
    {
      std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(kSelectApplied));
      while (rows->next()) {
        applied[rows->getInt(1)] = {rows->getString(2), rows->getString(3)};
      }
    }
    std::vector<std::string> done;
    for (const auto& migration : migrations) {
      if (const auto it = applied.find(migration.version); it != applied.end()) {
        if (it->second.second != migration.checksum) {
          throw Error(Code::kFailedPrecondition, "migration " + migration.name +
                                                     " was changed after it was applied (recorded as " +
                                                     it->second.first + ")");
        }
        continue;
      }
      if (lock_statement(raw, kRenewLock, owner) != 1) {
        throw Error(Code::kAborted, "the migration lock expired and was taken over by another run");
      }
      for (const auto& sql_text : split_statements(migration.sql)) {
        try {
          statement->execute(sql_text);
        } catch (const sql::SQLException& error) {
          throw Error(Code::kInternal, "migration " + migration.name + " failed: " + error.what());
        }
      }
      std::unique_ptr<sql::PreparedStatement> insert(raw.prepareStatement(kInsertApplied));
      insert->setInt(1, migration.version);
      insert->setString(2, migration.name);
      insert->setString(3, migration.checksum);
      insert->executeUpdate();
      done.push_back(migration.name);
    }
    return done;
  });
}

}  // namespace fwhub::db
