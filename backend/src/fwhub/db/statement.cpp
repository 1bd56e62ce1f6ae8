// One-off prepared statements with bound values (see statement.hpp).
#include "fwhub/db/statement.hpp"

#include <cppconn/resultset.h>

#include <memory>

namespace fwhub::db {

void bind_all(sql::PreparedStatement& statement, const BoundValues& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto index = static_cast<unsigned>(i + 1);
    if (values[i]) {
      statement.setString(index, *values[i]);
    } else {
      statement.setNull(index, 0);
    }
  }
}

int execute(Connection& c, const std::string& sql, const BoundValues& values) {
  auto statement = c.prepare(sql);
  bind_all(*statement, values);
  return statement->executeUpdate();
}

std::int64_t query_int(Connection& c, const std::string& sql, const BoundValues& values) {
  auto statement = c.prepare(sql);
  bind_all(*statement, values);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  return rows->next() && !rows->isNull(1) ? rows->getInt64(1) : -1;
}

}  // namespace fwhub::db
