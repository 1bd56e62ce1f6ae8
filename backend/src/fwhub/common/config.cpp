// Strict TOML configuration parsing with toml++: every key known, every type checked.
#include "fwhub/common/config.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "fwhub/common/status.hpp"

namespace fwhub {
namespace {

[[noreturn]] void fail(const std::string& origin, const std::string& message) {
  throw Error(Code::kInvalidArgument, origin + ": " + message);
}

// toml++ 3.3 (Debian 12) reaches __builtin_unreachable when it asks whether a code point between
// U+00A1 and U+0499 is whitespace (found by fuzzing). It asks that of every character outside
// strings and comments, and inside a multi-line basic string of the first character after a
// backslash that is not whitespace. TOML allows non-ASCII text only in strings and comments, so
// anything else is refused before toml++ reads the text, modelled as toml++ reads it:
// - a quote opens a string only where TOML lets one start (after '=', '[', '{', ',', '.' or at a
//   line's start); elsewhere it is an ordinary (invalid) character;
// - a value starting with a digit or sign (after '=', '[' or ',') is scanned by toml++ up to the
//   next whitespace, ']', '}', ',' or '#', whatever it holds: a quote or bracket inside is part of it.
bool ends_scanned_value(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r') || c == ']' || c == '}' || c == ',' || c == '#';
}

// In a multi-line basic string: whether the first character after the backslash at `backslash`
// that is not whitespace is non-ASCII (toml++ asks whether it is whitespace, for a line-ending
// backslash).
bool non_ascii_after_backslash(const std::string& text, std::size_t backslash) {
  const auto next = std::find_if_not(text.begin() + static_cast<std::ptrdiff_t>(backslash) + 1, text.end(),
                                     [](char c) { return c == ' ' || (c >= '\t' && c <= '\r'); });
  return next != text.end() && static_cast<unsigned char>(*next) >= 0x80;
}

void check_ascii_outside_strings(const std::string& text, const std::string& origin) {
  static constexpr std::string_view kStringMayFollow = "=[{,.\n";
  static constexpr std::string_view kValueMayFollow = "=[,";
  const auto refuse = [&](int line, const char* where) {
    fail(origin, "line " + std::to_string(line) + ": a non-ASCII character " + where);
  };
  int line = 1;
  char last = '\n';  // the last character outside strings and comments that is not a blank
  bool scanned_value = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    scanned_value = scanned_value && !ends_scanned_value(c);
    if (c == '#') {
      i = text.find('\n', i);  // the comment ends at the line's end
      continue;
    }
    if ((c == '"' || c == '\'') && !scanned_value && kStringMayFollow.find(last) != std::string_view::npos) {
      const std::size_t width = text.compare(i, 3, std::string(3, c)) == 0 ? 3 : 1;
      i += width;
      while (i < text.size() && text.compare(i, width, std::string(width, c)) != 0) {
        if (c == '"' && width == 3 && text[i] == '\\' && non_ascii_after_backslash(text, i)) {
          refuse(line, "after a backslash");
        }
        line += text[i] == '\n' ? 1 : 0;
        i += c == '"' && text[i] == '\\' && i + 1 < text.size() && text[i + 1] != '\n' ? 2 : 1;
      }
      i += width;
      last = c;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      refuse(line, "outside a string or comment");
    }
    if (!scanned_value && ((c >= '0' && c <= '9') || c == '+' || c == '-') &&
        kValueMayFollow.find(last) != std::string_view::npos) {
      scanned_value = true;
    }
    line += c == '\n' ? 1 : 0;
    last = c == ' ' || c == '\t' || c == '\r' ? last : (scanned_value ? '0' : c);
    ++i;
  }
}

std::string type_name(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string:
      return "string";
    case toml::node_type::integer:
      return "integer";
    case toml::node_type::floating_point:
      return "float";
    case toml::node_type::boolean:
      return "boolean";
    case toml::node_type::table:
      return "table";
    case toml::node_type::array:
      return "array";
    default:
      return "date/time";
  }
}

// Binds keys of one table to struct fields and rejects everything else.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string prefix, std::string origin)
      : table_(table), prefix_(std::move(prefix)), origin_(std::move(origin)) {}

  TableReader& str(const char* key, std::string& out) {
    known_[key] = [this, key, &out](const toml::node& node) {
      if (!node.is_string()) {
        wrong(key, "string", node);
      }
      out = *node.value<std::string>();
    };
    return *this;
  }

  template <typename Int>
  TableReader& integer(const char* key, Int& out, std::int64_t min, std::int64_t max) {
    known_[key] = [this, key, &out, min, max](const toml::node& node) {
      if (!node.is_integer()) {
        wrong(key, "integer", node);
      }
      const auto value = *node.value<std::int64_t>();
      if (value < min || value > max) {
        fail(origin_, "key '" + name(key) + "': " + std::to_string(value) + " is outside " + std::to_string(min) +
                          ".." + std::to_string(max));
      }
      out = static_cast<Int>(value);
    };
    return *this;
  }

  TableReader& boolean(const char* key, bool& out) {
    known_[key] = [this, key, &out](const toml::node& node) {
      if (!node.is_boolean()) {
        wrong(key, "boolean", node);
      }
      out = *node.value<bool>();
    };
    return *this;
  }

  TableReader& str_list(const char* key, std::vector<std::string>& out) {
    known_[key] = [this, key, &out](const toml::node& node) {
      if (!node.is_array()) {
        wrong(key, "array of strings", node);
      }
      out.clear();
      for (const auto& item : *node.as_array()) {
        if (!item.is_string()) {
          wrong(key, "array of strings", item);
        }
        out.push_back(*item.value<std::string>());
      }
    };
    return *this;
  }

  // Array of tables, each read by `each(table, "key[i]")`.
  TableReader& tables(const char* key, const std::function<void(const toml::table&, const std::string&)>& each) {
    known_[key] = [this, key, each](const toml::node& node) {
      if (!node.is_array_of_tables()) {
        wrong(key, "array of tables", node);
      }
      std::size_t index = 0;
      for (const auto& item : *node.as_array()) {
        each(*item.as_table(), name(key) + "[" + std::to_string(index++) + "]");
      }
    };
    return *this;
  }

  void read() {
    for (const auto& [key, node] : table_) {
      const auto it = known_.find(std::string(key.str()));
      if (it == known_.end()) {
        fail(origin_, "unknown key '" + name(std::string(key.str())) + "'");
      }
      it->second(node);
    }
  }

 private:
  [[nodiscard]] std::string name(const std::string& key) const { return prefix_ + "." + key; }

  [[noreturn]] void wrong(const char* key, const char* expected, const toml::node& node) const {
    fail(origin_, "key '" + name(key) + "': expected " + expected + ", found " + type_name(node));
  }

  const toml::table& table_;
  std::string prefix_;
  std::string origin_;
  std::map<std::string, std::function<void(const toml::node&)>> known_;
};

void check_choice(const std::string& origin, const std::string& key, const std::string& value,
                  std::initializer_list<const char*> choices) {
  std::string list;
  for (const char* choice : choices) {
    if (value == choice) {
      return;
    }
    list += list.empty() ? choice : std::string(", ") + choice;
  }
  fail(origin, "key '" + key + "' must be one of " + list + ", not '" + value + "'");
}

BranchConfig read_branch(const toml::table& table, const std::string& prefix, const std::string& origin) {
  BranchConfig branch;
  TableReader(table, prefix, origin)
      .str("name", branch.name)
      .boolean("enabled", branch.enabled)
      .boolean("snapshot", branch.snapshot)
      .integer("branch_off_rev", branch.branch_off_rev, 0, 10'000'000)
      .str("signing_key", branch.signing_key)
      .tables("package_changes",
              [&](const toml::table& change_table, const std::string& change_prefix) {
                PackageChange change;
                TableReader(change_table, change_prefix, origin)
                    .str("source", change.source)
                    .str("target", change.target)
                    .integer("revision", change.revision, 0, 10'000'000)
                    .boolean("mandatory", change.mandatory)
                    .read();
                if (change.source.empty()) {
                  fail(origin, "key '" + change_prefix + ".source' is required");
                }
                branch.package_changes.push_back(change);
              })
      .read();
  if (branch.name.empty()) {
    fail(origin, "key '" + prefix + ".name' is required");
  }
  return branch;
}

}  // namespace

std::vector<DatabaseEndpoint> database_endpoints(const DatabaseConfig& config) {
  if (config.hosts.empty()) {
    return {{config.host, config.port}};
  }
  static const std::regex kEntry(R"(^([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):([0-9]{1,5})$)");
  std::vector<DatabaseEndpoint> endpoints;
  for (const auto& entry : config.hosts) {
    std::smatch match;
    const int port = std::regex_match(entry, match, kEntry) ? std::stoi(match[2].str()) : 0;
    if (port < 1 || port > 65535) {
      throw Error(Code::kInvalidArgument, "'" + entry + "' is not host:port");
    }
    endpoints.push_back({match[1].str(), port});  // an IPv6 address keeps its brackets, as in a URL
  }
  return endpoints;
}

std::vector<BranchConfig> default_branches() {
  const PackageChange firewall4{"firewall", "firewall4", 18611, false};
  const PackageChange owut{"auc", "owut", 26792, false};
  return {
      {"SNAPSHOT", true, true, 0, "", {firewall4, owut}},
      {"24.10", true, false, 27990, "", {firewall4, owut}},
      {"23.05", true, false, 23069, "", {firewall4}},
      {"22.03", true, false, 19160, "", {firewall4}},
      {"21.02", true, false, 15812, "", {}},
      {"19.07", true, false, 10860, "", {}},
  };
}

Config parse_config(const std::string& text, const std::string& origin) {
  check_ascii_outside_strings(text, origin);
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& error) {
    std::ostringstream message;
    message << "line " << error.source().begin.line << ": " << error.description();
    fail(origin, message.str());
  }
  Config config;
  std::map<std::string, std::function<void(const toml::table&)>> sections = {
      {"database",
       [&](const toml::table& t) {
         auto& c = config.database;
         TableReader(t, "database", origin)
             .str("host", c.host)
             .integer("port", c.port, 1, 65535)
             .str_list("hosts", c.hosts)
             .str("name", c.name)
             .str("user", c.user)
             .str("password", c.password)
             .integer("connect_timeout_seconds", c.connect_timeout_seconds, 1, 3600)
             .integer("io_timeout_seconds", c.io_timeout_seconds, 1, 3600)
             .read();
         try {
           database_endpoints(c);
         } catch (const Error& error) {
           fail(origin, std::string("key 'database.hosts': ") + error.what());
         }
       }},
      {"api",
       [&](const toml::table& t) {
         auto& c = config.api;
         TableReader(t, "api", origin)
             .str("listen", c.listen)
             .str("socket_mode", c.socket_mode)
             .integer("workers", c.workers, 1, 256)
             .integer("threads", c.threads, 1, 256)
             .integer("max_body_bytes", c.max_body_bytes, 1, std::int64_t{1} << 40)
             .integer("drain_seconds", c.drain_seconds, 0, 3600)
             .integer("health_check_interval_ms", c.health_check_interval_ms, 0, 60'000)
             .integer("max_uploads", c.max_uploads, 1, 256)
             .read();
       }},
      {"scheduler",
       [&](const toml::table& t) {
         auto& c = config.scheduler;
         TableReader(t, "scheduler", origin)
             .str("id", c.id)
             .integer("workers", c.workers, 1, 1024)
             .integer("poll_interval_ms", c.poll_interval_ms, 10, 60'000)
             .integer("lease_seconds", c.lease_seconds, 2, 3600)
             .integer("shutdown_grace_seconds", c.shutdown_grace_seconds, 0, 3600)
             .integer("job_retention_hours", c.job_retention_hours, 1, std::int64_t{24} * 3650)
             .integer("cleanup_interval_seconds", c.cleanup_interval_seconds, 1, std::int64_t{86400} * 7)
             .integer("claim_spread", c.claim_spread, 1, 1000)
             .read();
       }},
      {"log",
       [&](const toml::table& t) {
         TableReader(t, "log", origin).str("level", config.log.level).str("format", config.log.format).read();
       }},
      {"catalog",
       [&](const toml::table& t) {
         auto& c = config.catalog;
         bool branches_given = false;
         TableReader(t, "catalog", origin)
             .str("upstream_url", c.upstream_url)
             .str("image_url", c.image_url)
             .integer("sync_interval_seconds", c.sync_interval_seconds, 10, std::int64_t{86400} * 7)
             .integer("http_timeout_seconds", c.http_timeout_seconds, 1, 600)
             .str_list("feeds", c.feeds)
             .tables("branches",
                     [&](const toml::table& table, const std::string& prefix) {
                       if (!branches_given) {
                         c.branches.clear();
                         branches_given = true;
                       }
                       c.branches.push_back(read_branch(table, prefix, origin));
                     })
             .read();
       }},
      {"build",
       [&](const toml::table& t) {
         auto& c = config.build;
         TableReader(t, "build", origin)
             .str("contact", c.contact)
             .boolean("allow_defaults", c.allow_defaults)
             .integer("max_defaults_length", c.max_defaults_length, 0, std::int64_t{10} * 1024 * 1024)
             .integer("max_custom_rootfs_size_mb", c.max_custom_rootfs_size_mb, 1, std::int64_t{1024} * 1024)
             .str_list("repository_allow_list", c.repository_allow_list)
             .integer("max_pending_jobs", c.max_pending_jobs, 1, 10'000'000)
             .integer("job_timeout_seconds", c.job_timeout_seconds, 10, 86400)
             .integer("max_parallel", c.max_parallel, 1, 1024)
             .integer("builder_cache_mb", c.builder_cache_mb, 1, std::int64_t{1024} * 1024 * 1024)
             .integer("ttl_seconds", c.ttl_seconds, 60, std::int64_t{86400} * 365)
             .integer("ttl_packages_versions_seconds", c.ttl_packages_versions_seconds, 60, std::int64_t{86400} * 365)
             .integer("ttl_defaults_seconds", c.ttl_defaults_seconds, 60, std::int64_t{86400} * 365)
             .integer("failure_ttl_seconds", c.failure_ttl_seconds, 1, std::int64_t{86400} * 365)
             .boolean("sandbox", c.sandbox)
             .read();
       }},
      {"fleet",
       [&](const toml::table& t) {
         FleetConfig& c = config.fleet;
         TableReader(t, "fleet", origin)
             .str("secret_key", c.secret_key)
             .integer("session_hours", c.session_hours, 1, std::int64_t{24} * 365)
             .str("secure_cookies", c.secure_cookies)
             .integer("login_max_failures", c.login_max_failures, 1, 1000)
             .integer("login_window_seconds", c.login_window_seconds, 1, 86400)
             .integer("login_block_seconds", c.login_block_seconds, 1, 86400)
             .integer("max_image_bytes", c.max_image_bytes, 0, std::int64_t{1} << 40U)
             .str("custom_images", c.custom_images)
             .read();
       }},
      {"upgrade",
       [&](const toml::table& t) {
         UpgradeConfig& c = config.upgrade;
         TableReader(t, "upgrade", origin)
             .integer("reconnect_delay_seconds", c.reconnect_delay_seconds, 0, 86400)
             .integer("reconnect_retry_delay_seconds", c.reconnect_retry_delay_seconds, 1, 86400)
             .integer("reconnect_max_retries", c.reconnect_max_retries, 0, 10000)
             .integer("upgrade_timeout_seconds", c.upgrade_timeout_seconds, 1, 86400)
             .integer("task_timeout_seconds", c.task_timeout_seconds, 10, std::int64_t{7} * 86400)
             .integer("max_retries", c.max_retries, 0, 100)
             .integer("retry_backoff_seconds", c.retry_backoff_seconds, 1, 86400)
             .integer("retry_backoff_max_seconds", c.retry_backoff_max_seconds, 1, 86400)
             .integer("ssh_connect_timeout_seconds", c.ssh_connect_timeout_seconds, 1, 600)
             .integer("ssh_auth_timeout_seconds", c.ssh_auth_timeout_seconds, 1, 600)
             .integer("ssh_banner_timeout_seconds", c.ssh_banner_timeout_seconds, 1, 600)
             .integer("ssh_command_timeout_seconds", c.ssh_command_timeout_seconds, 1, 3600)
             .integer("max_parallel", c.max_parallel, 1, 100000)
             .integer("max_parallel_per_organization", c.max_parallel_per_organization, 0, 100000)
             .integer("dispatch_interval_seconds", c.dispatch_interval_seconds, 1, 3600)
             .integer("offline_retry_seconds", c.offline_retry_seconds, 1, 86400)
             .integer("offline_retry_max_seconds", c.offline_retry_max_seconds, 1, std::int64_t{7} * 86400)
             .integer("persistent_deadline_hours", c.persistent_deadline_hours, 1, std::int64_t{24} * 365)
             .integer("max_upload_bytes_per_second", c.max_upload_bytes_per_second, 0, std::int64_t{1} << 40U)
             .read();
       }},
      {"paths",
       [&](const toml::table& t) {
         TableReader(t, "paths", origin)
             .str("sql_dir", config.paths.sql_dir)
             .str("state_dir", config.paths.state_dir)
             .read();
       }},
  };
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (!node.is_table()) {
      fail(origin, "'" + name + "': expected a [section], found " + type_name(node));
    }
    const auto it = sections.find(name);
    if (it == sections.end()) {
      fail(origin, "unknown section '" + name + "'");
    }
    it->second(*node.as_table());
  }
  check_choice(origin, "log.level", config.log.level, {"trace", "debug", "info", "warn", "error"});
  check_choice(origin, "log.format", config.log.format, {"text", "json"});
  for (const std::string* url : {&config.catalog.upstream_url, &config.catalog.image_url}) {
    if (!url->empty() && !url->starts_with("http://") && !url->starts_with("https://")) {
      fail(origin, "catalog URLs must start with http:// or https://, not '" + *url + "'");
    }
  }
  std::set<std::string> branch_names;
  for (const auto& branch : config.catalog.branches) {
    if (!branch_names.insert(branch.name).second) {
      fail(origin, "branch '" + branch.name + "' is configured twice");
    }
  }
  check_choice(origin, "fleet.secure_cookies", config.fleet.secure_cookies, {"auto", "always", "never"});
  static const std::regex kHexKey("^([0-9a-fA-F]{64})?$");
  if (!std::regex_match(config.fleet.secret_key, kHexKey)) {
    fail(origin, "key 'fleet.secret_key': expected 64 hexadecimal digits (32 bytes)");
  }
  if (config.api.max_uploads >= config.api.threads) {
    fail(origin, "key 'api.max_uploads' (" + std::to_string(config.api.max_uploads) + ") must be below api.threads (" +
                     std::to_string(config.api.threads) + "): uploads would leave no thread for other requests");
  }
  static const std::regex kMode("^0?[0-7]{3}$");
  if (!std::regex_match(config.api.socket_mode, kMode)) {
    fail(origin, "key 'api.socket_mode': expected octal permissions such as \"0660\", found \"" +
                     config.api.socket_mode + "\"");
  }
  return config;
}

Config load_config(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw Error(Code::kInvalidArgument, path + ": cannot read the configuration file");
  }
  std::ostringstream text;
  text << in.rdbuf();
  Config config = parse_config(text.str(), path);
  if (const char* password = std::getenv("FWHUB_DB_PASSWORD"); password != nullptr) {
    config.database.password = password;
  }
  if (const char* key = std::getenv("FWHUB_SECRET_KEY"); key != nullptr) {
    config.fleet.secret_key = key;
  }
  return config;
}

}  // namespace fwhub
