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

}  // namespace fwhub::db
