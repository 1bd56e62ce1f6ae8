// One MariaDB/MySQL connection (Connector/C++ 1.1) owned by one thread, reconnecting by itself.
#pragma once

#include <cppconn/connection.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>

#include <chrono>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "fwhub/common/config.hpp"
#include "fwhub/service/health_service.hpp"

namespace fwhub::db {

// Must run once in main() before threads use connections (the driver is not thread-safe to create).
void init_driver();

class Connection final : public service::DatabaseProbe {
 public:
  explicit Connection(DatabaseConfig config);
  ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // The live connection, connecting first if needed (to the configured servers in order, see
  // DatabaseConfig::hosts). Throws Error(kUnavailable) when no server can be reached or serves;
  // the next call tries again.
  sql::Connection& get();
  // The connection's prepared statement of this SQL text, parameters cleared: prepared once and
  // kept (the last kCachedStatements used), so a repeated statement costs one round trip to the
  // server instead of a prepare and an execute. Owned by the connection; valid until the next
  // reset() or kCachedStatements other texts later.
  sql::PreparedStatement* prepare(const std::string& sql);
  // A prepared statement of its own, for texts that are rarely repeated (multi-row inserts).
  std::unique_ptr<sql::PreparedStatement> prepare_once(const std::string& sql);
  // Forgets a connection after an error so that the next get() reconnects.
  void reset();

  Status ping() override;

 private:
  static constexpr std::chrono::seconds kIdleCheck{1};
  // Per connection; MariaDB's max_prepared_stmt_count (16,382) bounds them across all connections.
  static constexpr std::size_t kCachedStatements = 32;

  // Opens connection_ to one server; throws sql::SQLException.
  void connect(const DatabaseEndpoint& endpoint);

  struct CachedStatement {
    std::string sql;
    std::unique_ptr<sql::PreparedStatement> statement;
  };

  DatabaseConfig config_;
  std::vector<DatabaseEndpoint> endpoints_;
  std::unique_ptr<sql::Connection> connection_;
  std::list<CachedStatement> statements_;  // of connection_, most recently used first
  std::chrono::steady_clock::time_point last_used_{};
};

// Runs `fn(connection)`; an SQL error becomes Error(kUnavailable) for lost connections (and the
// connection is reset) and for transient errors (is_transient_error: a retry may succeed), or
// Error(kInternal) otherwise, the SQL state in the message.
template <typename Fn>
auto with_connection(Connection& connection, Fn&& fn) -> decltype(fn(connection));

// Commits on success, rolls back if destroyed before commit(). commit() throws the server's
// sql::SQLException when COMMIT fails (the transaction is then rolled back), so that the caller's
// with_connection or rerun_on_lock_conflict reports or repeats it.
class Transaction {
 public:
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Connection& connection_;
  sql::Connection& raw_;  // the connection the transaction began on
  bool done_ = false;
};

}  // namespace fwhub::db

#include "fwhub/db/connection_inl.hpp"
