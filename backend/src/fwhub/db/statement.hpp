// One-off prepared statements with string values bound in order (std::nullopt binds NULL): the
// helpers the repositories share to run a named SQL constant.
#pragma once

#include <cppconn/prepared_statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "fwhub/db/connection.hpp"

namespace fwhub::db {

using BoundValues = std::vector<std::optional<std::string>>;

void bind_all(sql::PreparedStatement& statement, const BoundValues& values);

// Runs an INSERT/UPDATE/DELETE; returns the rows it changed.
int execute(Connection& c, const std::string& sql, const BoundValues& values);

// The first column of the first row as an integer; -1 when there is no row or it is NULL.
std::int64_t query_int(Connection& c, const std::string& sql, const BoundValues& values);

}  // namespace fwhub::db
