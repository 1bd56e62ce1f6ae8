// Template part of connection.hpp: SQL exception translation.
#pragma once

#include <cppconn/exception.h>

#include "fwhub/common/status.hpp"

namespace fwhub::db {

// True for errors that mean the connection itself is gone (CR_SERVER_GONE_ERROR and friends).
bool is_connection_error(const sql::SQLException& error);

template <typename Fn>
auto with_connection(Connection& connection, Fn&& fn) -> decltype(fn(connection)) {
  try {
    return std::forward<Fn>(fn)(connection);
  } catch (const sql::SQLException& error) {
    if (is_connection_error(error)) {
      connection.reset();
      throw Error(Code::kUnavailable, std::string("database unavailable: ") + error.what());
    }
    throw Error(Code::kInternal, std::string("database error ") + std::to_string(error.getErrorCode()) + " (" +
                                     error.getSQLState() + "): " + error.what());
  }
}

// with_connection, and `fn` run again (up to 5 times) when InnoDB rolled it back for a deadlock
// (1213) or a lock wait timeout (1205). Only for a `fn` that is one statement or one whole
// transaction, so that a rerun repeats nothing that was kept.
template <typename Fn>
auto rerun_on_lock_conflict(Connection& connection, Fn&& fn) -> decltype(fn(connection)) {
  return with_connection(connection, [&fn](Connection& c) -> decltype(fn(connection)) {
    for (int attempt = 1;; ++attempt) {
      try {
        return fn(c);
      } catch (const sql::SQLException& error) {
        if ((error.getErrorCode() != 1213 && error.getErrorCode() != 1205) || attempt == 5) {
          throw;
        }
      }
    }
  });
}

}  // namespace fwhub::db
