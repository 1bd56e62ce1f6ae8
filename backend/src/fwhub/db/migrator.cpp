// Migration discovery, statement splitting and application.
#include "fwhub/db/migrator.hpp"

#include <cppconn/statement.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>

#include "fwhub/common/file_text.hpp"
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
constexpr const char* kLock = "SELECT GET_LOCK('fwhub.migrate', 120)";
constexpr const char* kUnlock = "SELECT RELEASE_LOCK('fwhub.migrate')";

bool scalar_is_one(sql::Connection& connection, const char* query) {
  std::unique_ptr<sql::Statement> statement(connection.createStatement());
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(query));
  return rows->next() && rows->getInt(1) == 1;
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
    if (!scalar_is_one(raw, kLock)) {
      throw Error(Code::kUnavailable, "another migration holds the lock");
    }
    struct Unlock {
      sql::Connection& raw;
      ~Unlock() {
        try {
          scalar_is_one(raw, kUnlock);
        } catch (const sql::SQLException&) {  // the lock dies with the connection anyway
        }
      }
    } unlock{raw};
    std::unique_ptr<sql::Statement> statement(raw.createStatement());
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
