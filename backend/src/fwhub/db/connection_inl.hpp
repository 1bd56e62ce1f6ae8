// Template part of connection.hpp: SQL exception translation.
#pragma once

#include <cppconn/exception.h>

#include "fwhub/common/status.hpp"

namespace fwhub::db {

// True for errors that mean the connection itself is gone (CR_SERVER_GONE_ERROR and friends) or
// that its server does not serve (a Galera node outside the primary component).
bool is_connection_error(const sql::SQLException& error);
// True for a transaction the server rolled back for a lock conflict: a deadlock, a lock wait
// timeout, or a Galera certification conflict (reported at the statement or at COMMIT).
bool is_lock_conflict(const sql::SQLException& error);
// True for errors after which the same work may succeed when tried again on the same connection:
// lock conflicts and a failed COMMIT or ROLLBACK.
bool is_transient_error(const sql::SQLException& error);

template <typename Fn>
auto with_connection(Connection& connection, Fn&& fn) -> decltype(fn(connection)) {
  try {
    return std::forward<Fn>(fn)(connection);
  } catch (const sql::SQLException& error) {
    if (is_connection_error(error)) {
      connection.reset();
      throw Error(Code::kUnavailable, std::string("database unavailable: ") + error.what());
    }
    if (is_transient_error(error)) {
      throw Error(Code::kUnavailable, std::string("database conflict ") + std::to_string(error.getErrorCode()) +
                                          ", try again: " + error.what());
    }
    throw Error(Code::kInternal, std::string("database error ") + std::to_string(error.getErrorCode()) + " (" +
                                     error.getSQLState() + "): " + error.what());
  }
}

// with_connection, and `fn` run again (up to 5 times) when the server rolled it back for a lock
// conflict (is_lock_conflict: at a statement or at COMMIT). Only for a `fn` that is one statement
// or one whole transaction, so that a rerun repeats nothing that was kept. A conflict still there
// after the last run is Error(kUnavailable).
template <typename Fn>
auto rerun_on_lock_conflict(Connection& connection, Fn&& fn) -> decltype(fn(connection)) {
  return with_connection(connection, [&fn](Connection& c) -> decltype(fn(connection)) {
    for (int attempt = 1;; ++attempt) {
      try {
        return fn(c);
      } catch (const sql::SQLException& error) {
        if (!is_lock_conflict(error) || attempt == 5) {
          throw;
        }
      }
    }
  });
}

}  // namespace fwhub::db
