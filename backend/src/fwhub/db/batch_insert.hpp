// Statement text for bound values, and multi-row INSERTs through prepared statements (a few
// hundred rows per round trip).
#pragma once

#include <string>
#include <vector>

#include "fwhub/db/connection.hpp"

namespace fwhub::db {

// "?,?,?": the markers of `count` bound values in a statement.
std::string placeholders(std::size_t count);

// Inserts `rows` (each `columns` strings) with "<head> VALUES (?,..),(?,..)"; `head` names the
// table and columns, e.g. "INSERT INTO t (a, b)". Runs on the caller's connection and transaction.
void batch_insert(Connection& connection, const std::string& head, std::size_t columns,
                  const std::vector<std::vector<std::string>>& rows);

}  // namespace fwhub::db
