// The one configuration file (TOML) shared by fwhub-api, fwhub-scheduler and fwhub-admin.
// Each field's comment gives its default; README.md lists them all.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fwhub {

struct DatabaseConfig {
  std::string host = "127.0.0.1";   // MariaDB/MySQL host
  int port = 3306;                  // TCP port
  std::string name = "fwhub";       // schema
  std::string user = "fwhub";       // account
  std::string password;             // "" ; the environment variable FWHUB_DB_PASSWORD wins
  int connect_timeout_seconds = 5;  // connect timeout
  int io_timeout_seconds = 30;      // read/write timeout of one statement
  // Several servers ("host:port", e.g. the nodes of a Galera cluster), tried in this order at
  // every (re)connect; empty = host and port above. When given, host and port are ignored.
  std::vector<std::string> hosts;
};

struct DatabaseEndpoint {
  std::string host;
  int port = 3306;
};

// The servers a connection tries, in order: `hosts` parsed, or host and port. Throws
// Error(kInvalidArgument) for an entry that is not "host:port" with a port in 1..65535.
std::vector<DatabaseEndpoint> database_endpoints(const DatabaseConfig& config);

struct ApiConfig {
  // "unix:/path", "host:port", or "inherit" (the socket is fd 0, from systemd or spawn-fcgi).
  std::string listen = "unix:/run/fwhub/api.sock";
  std::string socket_mode = "0660";                         // permissions of a unix socket
  int workers = 2;                                          // worker processes
  int threads = 16;                                         // threads per worker (one DB connection each)
  std::int64_t max_body_bytes = std::int64_t{1024} * 1024;  // larger bodies get 413
  int drain_seconds = 20;                                   // SIGTERM: time given to in-flight requests
  int health_check_interval_ms = 250;                       // a database probe result is reused this long
  int max_uploads = 4;  // firmware uploads one worker receives at once (more: 503); below threads
};

struct SchedulerConfig {
  std::string id;                       // "" = hostname:pid; lease owner name
  int workers = 4;                      // jobs run at once
  int poll_interval_ms = 500;           // idle wait between claims
  int lease_seconds = 30;               // lease length; renewed every third of it
  int shutdown_grace_seconds = 30;      // SIGTERM: time to finish before releasing
  int job_retention_hours = 168;        // finished jobs are deleted after this
  int cleanup_interval_seconds = 3600;  // period of the cleanup job
  // A claim takes a random job among the first claim_spread due jobs of the highest due priority
  // (schedulers on different Galera nodes then rarely collide); 1 = strictly the head of the queue.
  int claim_spread = 16;
};

struct LogConfig {
  std::string level = "info";   // trace, debug, info, warn, error
  std::string format = "text";  // text lines or "json" (one JSON object per line)
};

struct PathsConfig {
  std::string sql_dir = "/usr/share/fwhub/sql";  // migrations sql/NNN_name.sql
  std::string state_dir = "/var/lib/fwhub";      // store, catalog files, builders
};

// A rename or replacement of a package from a revision on (firewall -> firewall4 at r18611).
struct PackageChange {
  std::string source;
  std::string target;  // "" = the package was dropped
  int revision = 0;
  bool mandatory = false;
};

// An OpenWrt release branch (or SNAPSHOT) served by fwhub. [[catalog.branches]] in the file;
// when the file names any branch, its list replaces the defaults entirely.
struct BranchConfig {
  std::string name;         // "23.05", or "SNAPSHOT"
  bool enabled = true;      // synced and served
  bool snapshot = false;    // true: the version is the branch itself, path "snapshots"
  int branch_off_rev = 0;   // revision the branch left master
  std::string signing_key;  // usign public key of sha256sums.sig; "" = not verified
  std::vector<PackageChange> package_changes;
};

std::vector<BranchConfig> default_branches();

struct CatalogConfig {
  std::string upstream_url = "https://downloads.openwrt.org";  // download server or mirror
  std::string image_url;                                       // where clients download images; "" = upstream_url
  int sync_interval_seconds = 3600;                            // period of the catalog_sync job
  int http_timeout_seconds = 30;                               // per upstream request
  std::vector<std::string> feeds = {"base", "luci", "packages", "routing", "telephony"};
  std::vector<BranchConfig> branches = default_branches();
};

// Server facts the public API announces (overview.json "server") and enforces on builds.
struct BuildConfig {
  std::string contact;                             // shown in overview.json
  bool allow_defaults = false;                     // accept first-boot scripts ("defaults")
  int max_defaults_length = 20480;                 // characters
  int max_custom_rootfs_size_mb = 1024;            // rootfs_size_mb upper bound
  std::vector<std::string> repository_allow_list;  // URL prefixes custom repositories must match
  int max_pending_jobs = 200;                      // more queued+running builds: 529
  int job_timeout_seconds = 600;                   // a build running longer is killed and fails
  int max_parallel = 2;                            // builds at once per scheduler process
  std::int64_t builder_cache_mb = 20480;           // unpacked ImageBuilders kept; least recently used go
  int ttl_seconds = 86400;                         // a finished build is kept this long
  int ttl_packages_versions_seconds = 604800;      // ... when it pinned package versions
  int ttl_defaults_seconds = 1800;                 // ... when it carried a first-boot script
  int failure_ttl_seconds = 3600;                  // a failed build answers 500 this long
  bool sandbox = true;                             // run make in bubblewrap as nobody
};

// Fleet management: accounts, sign-in, stored secrets and firmware images.
struct FleetConfig {
  std::string secret_key;               // 64 hex digits encrypting credentials; FWHUB_SECRET_KEY wins; "" = none
  int session_hours = 12;               // a session cookie expires this long after sign-in
  std::string secure_cookies = "auto";  // "auto" (when served over TLS), "always", "never"
  int login_max_failures = 5;           // failed sign-ins of a user before blocking (an address: 10x)
  int login_window_seconds = 900;       // failures older than this are forgotten
  int login_block_seconds = 900;        // how long a blocked user or address waits
  std::int64_t max_image_bytes = std::int64_t{30} * 1024 * 1024;  // firmware upload limit; 0 = unlimited
  // Extra image types before the built-in table, upstream's OPENWISP_CUSTOM_OPENWRT_IMAGES form
  // as JSON: [["type", {"label": "…", "boards": ["…"]}], …]. "" = none.
  std::string custom_images;
};

// Device upgrades over SSH (upstream's OPENWRT_SETTINGS, RETRY_OPTIONS, TASK_TIMEOUT).
struct UpgradeConfig {
  int reconnect_delay_seconds = 180;             // wait after the reflash before the first reconnect
  int reconnect_retry_delay_seconds = 20;        // between reconnect attempts
  int reconnect_max_retries = 35;                // reconnect attempts before giving up
  int upgrade_timeout_seconds = 90;              // the sysupgrade command
  int task_timeout_seconds = 1500;               // a whole operation
  int max_retries = 4;                           // recoverable failures (connect, upload) retried this often
  int retry_backoff_seconds = 60;                // first retry delay, doubling, with ±25 % jitter
  int retry_backoff_max_seconds = 600;           // retry delay bound
  int ssh_connect_timeout_seconds = 5;           // TCP connect
  int ssh_auth_timeout_seconds = 2;              // authentication
  int ssh_banner_timeout_seconds = 60;           // banner and key exchange
  int ssh_command_timeout_seconds = 30;          // one command
  int max_parallel = 100;                        // operations running at once per scheduler (waits excluded)
  int max_parallel_per_organization = 0;         // operations running at once per organization; 0 = no limit
  int dispatch_interval_seconds = 5;             // how often an open batch is looked at when nothing wakes it
  int offline_retry_seconds = 600;               // persistent batches: first retry of an offline device
  int offline_retry_max_seconds = 43200;         // … doubling up to this, ±25 % jitter
  int persistent_deadline_hours = 168;           // a persistent batch without a deadline gives up after this
  std::int64_t max_upload_bytes_per_second = 0;  // all image uploads of a scheduler together; 0 = no limit
};

struct Config {
  DatabaseConfig database;
  ApiConfig api;
  SchedulerConfig scheduler;
  LogConfig log;
  PathsConfig paths;
  CatalogConfig catalog;
  BuildConfig build;
  FleetConfig fleet;
  UpgradeConfig upgrade;
};

// Parses TOML text strictly: unknown tables or keys and wrong types throw Error naming the key.
Config parse_config(const std::string& text, const std::string& origin);
// Reads and parses the file, then applies environment overrides (FWHUB_DB_PASSWORD, FWHUB_SECRET_KEY).
Config load_config(const std::string& path);

}  // namespace fwhub
