// Composition of the upgrade engine with MariaDB, libssh and the server key for one job run.
#include "fwhub/scheduler/upgrade_job.hpp"

#include <filesystem>
#include <memory>

#include "fwhub/common/random.hpp"
#include "fwhub/db/upgrade_repository.hpp"
#include "fwhub/service/device_refresh.hpp"
#include "fwhub/service/upgrade_engine.hpp"
#include "fwhub/sys/ssh_connector.hpp"

namespace fwhub::scheduler {

JobKind make_upgrade_job(const Config& config) {
  JobKind kind;
  kind.name = "upgrade";
  kind.max_attempts = config.upgrade.max_retries + 1;
  kind.max_parallel = config.upgrade.max_parallel;
  kind.backoff = {std::chrono::seconds(config.upgrade.retry_backoff_seconds),
                  std::chrono::seconds(config.upgrade.retry_backoff_max_seconds), 2.0, 0.25};
  // One budget for all uploads of this scheduler process.
  auto bandwidth =
      std::make_shared<BandwidthLimit>(static_cast<std::uint64_t>(config.upgrade.max_upload_bytes_per_second));
  kind.run = [&config, bandwidth](JobContext& context) -> Status {
    const std::string operation_id = context.payload_string("operation_id");
    db::Connection connection(config.database);
    db::UpgradeRepository store(connection, std::filesystem::path(config.paths.state_dir) / "firmware");
    sys::SshConnector connector;
    const auto secrets = SecretBox::from_setting(config.fleet.secret_key);
    SystemRandom random;
    service::UpgradeEngine engine(store, connector, config.upgrade, secrets ? &*secrets : nullptr, random, *bandwidth);
    const domain::Job& job = context.job();
    const auto wait = engine.run(operation_id, job.attempts >= job.max_attempts);
    if (wait) {
      context.defer(*wait);
    }
    return Status::ok();
  };
  // Its last attempt failed outside the engine (the database was down) or its schedulers died
  // during every attempt: the operation fails (never flashed again) and the device is free for the
  // next one. An operation that already ended keeps its outcome.
  kind.gave_up = [&config](const domain::Job& job, const std::string& reason) {
    const std::string operation_id = payload_string(job, "operation_id");
    db::Connection connection(config.database);
    db::UpgradeRepository store(connection, std::filesystem::path(config.paths.state_dir) / "firmware");
    if (store.finish(operation_id, domain::upgrade::Outcome::kFailed, "")) {
      store.append_log(operation_id, "The upgrade could not finish: " + reason + ".");
    }
  };
  return kind;
}

JobKind make_device_refresh_job(const Config& config) {
  JobKind kind;
  kind.name = "device_refresh";
  kind.max_attempts = 1;
  kind.run = [&config](JobContext& context) -> Status {
    const std::string device_id = context.payload_string("device_id");
    db::Connection connection(config.database);
    db::UpgradeRepository store(connection, std::filesystem::path(config.paths.state_dir) / "firmware");
    sys::SshConnector connector;
    const auto secrets = SecretBox::from_setting(config.fleet.secret_key);
    service::DeviceRefresh(store, connector, config.upgrade, secrets ? &*secrets : nullptr).refresh(device_id);
    return Status::ok();
  };
  return kind;
}

}  // namespace fwhub::scheduler
