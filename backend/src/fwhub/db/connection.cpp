// Connector/C++ connection management.
#include "fwhub/db/connection.hpp"

#include <cppconn/driver.h>
#include <cppconn/statement.h>
#include <mysql_driver.h>

#include <algorithm>

namespace fwhub::db {
namespace {

sql::mysql::MySQL_Driver* driver() {
  static sql::mysql::MySQL_Driver* instance = sql::mysql::get_mysql_driver_instance();
  return instance;
}

}  // namespace

void init_driver() {
  driver();
}

bool is_connection_error(const sql::SQLException& error) {
  const int code = error.getErrorCode();
  // 2002/2003 can't connect, 2006 gone away, 2013 lost during query, 2055 lost at reading,
  // 1927 killed connection, 4031 disconnected by server (idle timeout), 1053 shutdown,
  // 1047 a Galera node that is not (or no longer) part of the primary component ("WSREP has not
  // yet prepared node for application use"): reconnecting may reach a node that serves.
  return code == 2002 || code == 2003 || code == 2006 || code == 2013 || code == 2055 || code == 1927 || code == 4031 ||
         code == 1053 || code == 1047 || code == 0;
}

bool is_lock_conflict(const sql::SQLException& error) {
  const int code = error.getErrorCode();
  // 1213 deadlock, or under Galera a certification conflict with a transaction of another node;
  // 1205 lock wait timeout.
  return code == 1213 || code == 1205;
}

bool is_transient_error(const sql::SQLException& error) {
  const int code = error.getErrorCode();
  // 1180 error during COMMIT, 1181 error during ROLLBACK (a replication failure under Galera).
  return is_lock_conflict(error) || code == 1180 || code == 1181;
}

Connection::Connection(DatabaseConfig config) : config_(std::move(config)), endpoints_(database_endpoints(config_)) {
  driver()->threadInit();
}

Connection::~Connection() {
  reset();
  driver()->threadEnd();
}

sql::Connection& Connection::get() {
  const auto now = std::chrono::steady_clock::now();
  const bool idle = now - last_used_ > kIdleCheck;
  last_used_ = now;
  // A connection unused for a while may have died with a database restart or an idle timeout:
  // it is pinged before use (once per idle period), so that the statement does not fail on it.
  if (connection_ && !connection_->isClosed() && (!idle || connection_->isValid())) {
    return *connection_;
  }
  reset();
  // The servers in their configured order: the first that accepts the connection and serves
  // (a Galera node outside the primary component does not) is used until the connection breaks.
  std::string errors;
  for (const auto& endpoint : endpoints_) {
    try {
      connect(endpoint);
      return *connection_;
    } catch (const sql::SQLException& error) {
      connection_.reset();
      errors +=
          (errors.empty() ? "" : "; ") + endpoint.host + ":" + std::to_string(endpoint.port) + ": " + error.what();
    }
  }
  throw Error(Code::kUnavailable, "cannot connect to the database: " + errors);
}

void Connection::connect(const DatabaseEndpoint& endpoint) {
  sql::ConnectOptionsMap options;
  options["hostName"] = sql::SQLString("tcp://" + endpoint.host + ":" + std::to_string(endpoint.port));
  options["userName"] = sql::SQLString(config_.user);
  options["password"] = sql::SQLString(config_.password);
  options["schema"] = sql::SQLString(config_.name);
  options["OPT_CONNECT_TIMEOUT"] = config_.connect_timeout_seconds;
  options["OPT_READ_TIMEOUT"] = config_.io_timeout_seconds;
  options["OPT_WRITE_TIMEOUT"] = config_.io_timeout_seconds;
  options["OPT_RECONNECT"] = false;
  options["OPT_CHARSET_NAME"] = sql::SQLString("utf8mb4");
  options["CLIENT_FOUND_ROWS"] = true;  // UPDATE counts matched rows: "is the lease still mine"
  connection_.reset(driver()->connect(options));
  std::unique_ptr<sql::Statement> statement(connection_->createStatement());
  statement->execute("SET time_zone = '+00:00'");
  statement->execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
  // A Galera node (a provider is loaded) must say it is ready; other servers have no provider name.
  std::unique_ptr<sql::ResultSet> status(
      statement->executeQuery("SHOW STATUS WHERE Variable_name IN ('wsrep_provider_name', 'wsrep_ready')"));
  std::string provider;
  std::string ready;
  while (status->next()) {
    (status->getString(1) == "wsrep_ready" ? ready : provider) = status->getString(2);
  }
  if (!provider.empty() && ready != "ON") {
    throw sql::SQLException("Galera node not ready (wsrep_ready " + ready + ")", "08S01", 1047);
  }
}

sql::PreparedStatement* Connection::prepare(const std::string& sql) {
  sql::Connection& connection = get();
  const auto cached =
      std::find_if(statements_.begin(), statements_.end(), [&sql](const CachedStatement& c) { return c.sql == sql; });
  if (cached != statements_.end()) {
    statements_.splice(statements_.begin(), statements_, cached);
    statements_.front().statement->clearParameters();
    return statements_.front().statement.get();
  }
  std::unique_ptr<sql::PreparedStatement> statement(connection.prepareStatement(sql));
  if (statements_.size() == kCachedStatements) {
    statements_.pop_back();
  }
  statements_.push_front({sql, std::move(statement)});
  return statements_.front().statement.get();
}

std::unique_ptr<sql::PreparedStatement> Connection::prepare_once(const std::string& sql) {
  return std::unique_ptr<sql::PreparedStatement>(get().prepareStatement(sql));
}

void Connection::reset() {
  statements_.clear();  // they belong to the connection: closed before it
  connection_.reset();
}

Status Connection::ping() {
  // A connection that died since its last use fails once; the second try reconnects.
  Status status;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      with_connection(*this, [](Connection& c) {
        std::unique_ptr<sql::Statement> statement(c.get().createStatement());
        std::unique_ptr<sql::ResultSet> rows(statement->executeQuery("SELECT 1"));
      });
      return Status::ok();
    } catch (const Error& error) {
      reset();
      status = error.status();
    }
  }
  return status;
}

Transaction::Transaction(Connection& connection) : connection_(connection), raw_(connection.get()) {
  raw_.setAutoCommit(false);
}

Transaction::~Transaction() {
  if (done_) {
    return;
  }
  try {
    raw_.rollback();
    raw_.setAutoCommit(true);
  } catch (const sql::SQLException&) {
    connection_.reset();
  }
}

void Transaction::commit() {
  // Connector/C++ 1.1's commit() drops the server's answer: a COMMIT that failed (a certification
  // conflict under Galera, a connection lost on the way) looked committed. The statement throws.
  std::unique_ptr<sql::Statement> statement(raw_.createStatement());
  statement->execute("COMMIT");
  done_ = true;
  raw_.setAutoCommit(true);
}

}  // namespace fwhub::db
