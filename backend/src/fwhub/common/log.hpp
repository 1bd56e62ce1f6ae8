// Logging set-up: spdlog to stderr (journald or the stack's log files), level and format from the
// config; LogScope adds the ids of the request or job a thread works on to every line it logs.
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <utility>
#include <vector>

#include "fwhub/common/config.hpp"

namespace fwhub {

// `program` names the process in every line (fwhub-api, fwhub-scheduler, ...).
void init_logging(const LogConfig& config, const std::string& program);

using LogFields = std::vector<std::pair<std::string, std::string>>;

// While it lives, every line the current thread logs carries its fields as `key=value` (text)
// or "key":"value" (JSON lines), after the fields of enclosing scopes.
class LogScope {
 public:
  explicit LogScope(const LogFields& fields);
  LogScope(std::string key, std::string value);
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;
  LogScope(LogScope&&) = delete;
  LogScope& operator=(LogScope&&) = delete;

 private:
  std::size_t count_;
};

// A JSON string literal of `text` (quotes included), for JSON lines.
std::string json_quoted(std::string_view text);

}  // namespace fwhub
