// Batched inserts.
#include "fwhub/db/batch_insert.hpp"

#include <algorithm>

namespace fwhub::db {

std::string placeholders(std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    text += i == 0 ? "?" : ",?";
  }
  return text;
}
namespace {

constexpr std::size_t kRowsPerStatement = 500;

std::string statement_text(const std::string& head, std::size_t columns, std::size_t rows) {
  const std::string group = "(" + placeholders(columns) + ")";
  std::string text = head + " VALUES ";
  for (std::size_t r = 0; r < rows; ++r) {
    text += r == 0 ? group : "," + group;
  }
  return text;
}

}  // namespace

void batch_insert(Connection& connection, const std::string& head, std::size_t columns,
                  const std::vector<std::vector<std::string>>& rows) {
  for (std::size_t start = 0; start < rows.size(); start += kRowsPerStatement) {
    const std::size_t count = std::min(kRowsPerStatement, rows.size() - start);
    auto insert = connection.prepare_once(statement_text(head, columns, count));
    unsigned int index = 1;
    for (std::size_t r = start; r < start + count; ++r) {
      for (const auto& value : rows[r]) {
        insert->setString(index++, value);
      }
    }
    insert->executeUpdate();
  }
}

}  // namespace fwhub::db
