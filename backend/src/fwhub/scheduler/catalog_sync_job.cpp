// catalog_sync: wires the sync and publish use cases to MariaDB, HTTP and the public folder.
#include "fwhub/scheduler/catalog_sync_job.hpp"

#include <spdlog/spdlog.h>

#include "fwhub/db/catalog_repository.hpp"
#include "fwhub/service/catalog_publisher.hpp"
#include "fwhub/service/catalog_sync.hpp"
#include "fwhub/sys/http_upstream.hpp"
#include "fwhub/sys/public_tree.hpp"

namespace fwhub::scheduler {

Status run_catalog_sync(const Config& config) {
  db::Connection connection(config.database);
  db::CatalogRepository repository(connection);
  sys::HttpUpstream upstream(config.catalog.upstream_url, config.catalog.http_timeout_seconds);
  const auto started = std::chrono::steady_clock::now();
  std::optional<service::SyncReport> report;
  Status status;
  try {
    report = service::CatalogSync(upstream, repository, config.catalog).run();
  } catch (const Error& error) {
    status = error.status();
    spdlog::error("catalog sync from {} failed: {}", config.catalog.upstream_url, error.what());
  }
  // Publish whatever is stored, also after a failed sync (a fresh host must serve the catalog).
  sys::PublicTree tree(config.paths.state_dir);
  const auto published = service::CatalogPublisher(repository, tree, config.catalog, config.build).publish_if_stale();
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
  if (report) {
    spdlog::info("catalog sync from {}: {}; {} bytes received; {} in {} ms", config.catalog.upstream_url,
                 report->summary(), upstream.bytes_received(),
                 published ? "published generation " + std::to_string(published->generation) + " (" +
                                 std::to_string(published->files) + " files)"
                           : std::string("nothing to publish"),
                 millis);
    if (!report->errors.empty()) {
      return {Code::kUnavailable, report->summary()};
    }
  }
  return status;
}

JobKind make_catalog_sync_job(const Config& config) {
  JobKind kind;
  kind.name = kCatalogSyncKind;
  kind.period = std::chrono::seconds(config.catalog.sync_interval_seconds);
  kind.max_attempts = 4;
  kind.backoff = {std::chrono::seconds(30), std::chrono::minutes(30), 2.0, 0.25};
  kind.run = [&config](JobContext& /*context*/) { return run_catalog_sync(config); };
  return kind;
}

}  // namespace fwhub::scheduler
