// Ordered schema migrations sql/NNN_name.sql, applied once each and recorded in schema_migrations.
#pragma once

#include <string>
#include <vector>

#include "fwhub/db/connection.hpp"

namespace fwhub::db {

struct Migration {
  int version = 0;
  std::string name;  // file name, e.g. "001_jobs.sql"
  std::string sql;
  std::string checksum;  // sha256 of the file
};

// Reads and orders the migration files of `dir`; throws Error on a bad name or a duplicate number.
std::vector<Migration> read_migrations(const std::string& dir);

// Splits a script into statements at ';' outside quotes and comments.
std::vector<std::string> split_statements(const std::string& script);

// Applies the migrations not yet recorded, in order, under a lock row in schema_migration_lock that
// holds across the nodes of a Galera cluster (concurrent runs wait up to 120 s; a dead holder's
// lock expires after 10 minutes).
// A failing migration throws Error naming its file and is not recorded; an applied migration
// whose file changed since is an error too. Returns the names of the migrations applied now.
std::vector<std::string> migrate(Connection& connection, const std::string& dir);

}  // namespace fwhub::db
