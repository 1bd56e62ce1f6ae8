// Composition of the upgrade engine with MariaDB, libssh and the server key for one job run.
#include "fwhub/scheduler/upgrade_job.hpp"

#include <rapidjson/document.h>

#include <filesystem>

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
  kind.run = [&config](JobContext& context) -> Status {
    rapidjson::Document payload;
    payload.Parse(context.job().payload.c_str());
    if (payload.HasParseError() || !payload.IsObject() || !payload.HasMember("operation_id") ||
        !payload["operation_id"].IsString()) {
      return {Code::kInvalidArgument, "upgrade job without operation_id"};
    }
    db::Connection connection(config.database);
    db::UpgradeRepository store(connection, std::filesystem::path(config.paths.state_dir) / "firmware");
    sys::SshConnector connector;
    const std::optional<SecretBox> secrets =
        config.fleet.secret_key.empty() ? std::nullopt : std::optional<SecretBox>(config.fleet.secret_key);
    service::UpgradeEngine engine(store, connector, config.upgrade, secrets ? &*secrets : nullptr);
    const domain::Job& job = context.job();
    const auto wait = engine.run(payload["operation_id"].GetString(), job.attempts >= job.max_attempts);
    if (wait) {
      context.defer(*wait);
    }
    return Status::ok();
  };
  return kind;
}

JobKind make_device_refresh_job(const Config& config) {
  JobKind kind;
  kind.name = "device_refresh";
  kind.max_attempts = 1;
  kind.run = [&config](JobContext& context) -> Status {
    rapidjson::Document payload;
    payload.Parse(context.job().payload.c_str());
    if (payload.HasParseError() || !payload.IsObject() || !payload.HasMember("device_id") ||
        !payload["device_id"].IsString()) {
      return {Code::kInvalidArgument, "device_refresh job without device_id"};
    }
    db::Connection connection(config.database);
    db::UpgradeRepository store(connection, std::filesystem::path(config.paths.state_dir) / "firmware");
    sys::SshConnector connector;
    const std::optional<SecretBox> secrets =
        config.fleet.secret_key.empty() ? std::nullopt : std::optional<SecretBox>(config.fleet.secret_key);
    service::DeviceRefresh(store, connector, config.upgrade, secrets ? &*secrets : nullptr)
        .refresh(payload["device_id"].GetString());
    return Status::ok();
  };
  return kind;
}

}  // namespace fwhub::scheduler
