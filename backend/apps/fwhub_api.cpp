// fwhub-api: the FastCGI process pool behind nginx.
#include <spdlog/spdlog.h>

#include <mutex>
#include <thread>

#include "fwhub/api/fcgi_server.hpp"
#include "fwhub/api/routes.hpp"
#include "fwhub/api/upload_slots.hpp"
#include "fwhub/common/cli.hpp"
#include "fwhub/common/log.hpp"
#include "fwhub/db/account_repository.hpp"
#include "fwhub/db/batch_repository.hpp"
#include "fwhub/db/build_repository.hpp"
#include "fwhub/db/catalog_repository.hpp"
#include "fwhub/db/connection.hpp"
#include "fwhub/db/fleet_repository.hpp"
#include "fwhub/db/metrics_repository.hpp"
#include "fwhub/db/resource_reader.hpp"
#include "fwhub/db/upgrade_repository.hpp"
#include "fwhub/sys/firmware_folder.hpp"
#include "fwhub/sys/listen_socket.hpp"

namespace {

// The services of one API thread, sharing its database connection.
class ApiThread final : public fwhub::api::ThreadServices {
 public:
  ApiThread(const fwhub::Config& config, fwhub::service::HealthCache& health_cache,
            fwhub::domain::build::StatsBuffer& stats, fwhub::service::DoneBuildCache& done_builds,
            const fwhub::SecretBox* secrets, const fwhub::api::RequestMetrics& request_metrics,
            fwhub::api::UploadSlots& upload_slots)
      : config_(config),
        connection_(config.database),
        health_(connection_, health_cache),
        build_store_(connection_, &stats),
        builds_(catalog_, build_store_, config_, &done_builds),
        firmware_files_(std::filesystem::path(config.paths.state_dir) / "firmware"),
        image_boards_(fwhub::domain::firmware::parse_custom_image_types(config.fleet.custom_images),
                      [this](const std::string& target) { return catalog_.profiles_of_target(target); }),
        auth_(accounts_, config.fleet),
        fleet_(fleet_store_, accounts_, firmware_files_, image_boards_, secrets),
        catalog_builds_(fleet_, builds_, fleet_store_, config_),
        upgrade_store_(connection_, std::filesystem::path(config.paths.state_dir) / "firmware"),
        upgrades_(fleet_, upgrade_store_, config.upgrade),
        batch_store_(connection_, std::chrono::seconds(config.upgrade.dispatch_interval_seconds)),
        batches_(fleet_, batch_store_, config.upgrade) {
    context_.request_metrics = &request_metrics;
    context_.figures = &figures_;
    context_.upload_slots = &upload_slots;
  }
  fwhub::api::Context& context() override { return context_; }

 private:
  const fwhub::Config& config_;
  fwhub::db::Connection connection_;
  fwhub::service::HealthService health_;
  fwhub::db::CatalogRepository catalog_{connection_};
  fwhub::db::BuildRepository build_store_;
  fwhub::service::BuildService builds_;
  fwhub::db::AccountRepository accounts_{connection_};
  fwhub::db::FleetRepository fleet_store_{connection_};
  fwhub::db::ResourceReader resources_{connection_};
  fwhub::sys::FirmwareFolder firmware_files_;
  fwhub::service::ImageBoards image_boards_;
  fwhub::service::AuthService auth_;
  fwhub::service::FleetService fleet_;
  fwhub::service::CatalogBuildService catalog_builds_;
  fwhub::db::UpgradeRepository upgrade_store_;
  fwhub::service::UpgradeService upgrades_;
  fwhub::db::BatchRepository batch_store_;
  fwhub::service::BatchService batches_;
  fwhub::db::MetricsRepository figures_{connection_};
  fwhub::api::FleetServices fleet_services_{auth_,           fleet_,    resources_, firmware_files_,
                                            catalog_builds_, upgrades_, batches_};
  fwhub::api::Context context_{health_, catalog_, builds_, config_, &fleet_services_};
};

// Writes the worker's gathered build statistics every second; what a killed worker held (at
// most one second of counts) is lost.
[[noreturn]] void flush_statistics(const fwhub::Config& config, fwhub::domain::build::StatsBuffer& stats) {
  fwhub::db::Connection connection(config.database);
  fwhub::db::BuildRepository builds(connection);
  for (;;) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    builds.flush(stats);
  }
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const fwhub::CommandLine line = fwhub::parse_command_line(argc, argv);
    const fwhub::Config config = fwhub::load_config(line.config_path);
    fwhub::init_logging(config.log, "fwhub-api");
    fwhub::db::init_driver();
    const fwhub::api::Router router = fwhub::api::make_routes();
    fwhub::api::FcgiPoolOptions options;
    options.listen_fd = fwhub::sys::open_listen_socket(config.api.listen, config.api.socket_mode);
    options.workers = config.api.workers;
    options.threads = config.api.threads;
    options.drain_seconds = config.api.drain_seconds;
    options.max_body_bytes = config.api.max_body_bytes;
    options.max_upload_bytes = config.fleet.max_image_bytes;
    // Mapped shared before the workers are forked: every worker counts into the same region.
    fwhub::api::RequestMetrics request_metrics(router);
    options.metrics = &request_metrics;
    // Credentials are sealed with the server key; without one they cannot be stored.
    const auto secrets = fwhub::SecretBox::from_setting(config.fleet.secret_key);
    // Checked at start-up: a malformed custom_images setting stops the API with its reason.
    fwhub::domain::firmware::parse_custom_image_types(config.fleet.custom_images);
    spdlog::info("fwhub-api listening on {}", config.api.listen);
    const fwhub::SteadyClock clock;
    // Shared by the threads of a worker process (each forked worker has its own copy).
    fwhub::service::HealthCache health_cache(clock, std::chrono::milliseconds(config.api.health_check_interval_ms));
    // Build statistics: gathered per worker process, written once a second by its own thread.
    fwhub::domain::build::StatsBuffer stats(clock, std::chrono::seconds(1));
    // Finished builds by request, for repeated POSTs (a few MB per worker at most).
    fwhub::service::DoneBuildCache done_builds(clock, 1000);
    // Firmware uploads in progress, counted per worker process.
    fwhub::api::UploadSlots upload_slots(config.api.max_uploads);
    std::once_flag flusher_started;  // per worker: the factory first runs after the fork
    const fwhub::SecretBox* secret_box = secrets ? &*secrets : nullptr;
    return fwhub::api::run_fcgi_pool(
        options, router,
        [&config, &health_cache, &stats, &done_builds, &flusher_started, secret_box, &request_metrics, &upload_slots] {
          std::call_once(flusher_started,
                         [&config, &stats] { std::thread(flush_statistics, config, std::ref(stats)).detach(); });
          return std::make_unique<ApiThread>(config, health_cache, stats, done_builds, secret_box, request_metrics,
                                             upload_slots);
        });
  } catch (const std::exception& error) {
    spdlog::critical("fwhub-api: {}", error.what());
    return 1;
  }
}
