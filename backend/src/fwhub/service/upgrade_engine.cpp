// The upgrade steps: connect 10, identity 15, checksum 20, memory, upload, sysupgrade --test,
// reflash 65, reboot wait, reconnect 90, verify, done 100.
#include "fwhub/service/upgrade_engine.hpp"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <variant>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/upgrade/batch_rules.hpp"
#include "fwhub/domain/upgrade/device_output.hpp"
#include "fwhub/domain/upgrade/image_path.hpp"
#include "fwhub/domain/upgrade/upgrade_options.hpp"
#include "fwhub/service/ssh_target.hpp"

namespace fwhub::service {
namespace {

using domain::upgrade::Outcome;
using std::chrono::seconds;

constexpr const char* kChecksumFile = "/etc/fwhub/firmware_checksum";
constexpr const char* kServices =
    "uhttpd dnsmasq openwisp_config openwisp-config openwisp-monitoring cron rpcd "
    "rssileds odhcpd log";
// The steps after which the image may be on the flash: a resumed run never flashes again but
// reconnects and verifies (also after "reconnected": the checksum file may not be written yet).
bool after_reflash(const std::string& step) {
  return step == "reflashing" || step == "rebooting" || step == "reconnected";
}

// Ends the run: the operation reached an outcome.
struct Finished {
  Outcome outcome;
  std::string message;
};

struct Metadata {
  std::string dist;
  std::string version;
  std::string revision;
  std::vector<std::string> supported_devices;
};

Metadata read_metadata(const std::string& json) {
  Metadata metadata;
  rapidjson::Document document;
  if (!parse_json(document, json).empty() || !document.IsObject()) {
    return metadata;
  }
  const auto string = [&document](const char* key) {
    return document.HasMember(key) && document[key].IsString() ? std::string(document[key].GetString()) : "";
  };
  metadata.dist = string("dist");
  metadata.version = string("version");
  metadata.revision = string("revision");
  if (document.HasMember("supported_devices") && document["supported_devices"].IsArray()) {
    for (const auto& device : document["supported_devices"].GetArray()) {
      if (device.IsString()) {
        metadata.supported_devices.emplace_back(device.GetString());
      }
    }
  }
  return metadata;
}

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

// One run of an operation: its plan, the session, and the log.
struct UpgradeEngine::Run {
  UpgradeEngine& engine;
  domain::upgrade::OperationPlan plan;
  std::unique_ptr<domain::upgrade::DeviceSession> session;
  bool services_stopped = false;

  void log(const std::string& line) const { engine.store_.append_log(plan.id, line); }

  // Durable step; a false answer means the operation was cancelled meanwhile.
  bool step(const std::string& name, int progress) { return engine.store_.set_step(plan.id, name, progress); }

  void connect(bool accept_new_key) {
    session = connect_device(engine.connector_, plan, engine.config_, *engine.secrets_, accept_new_key);
    if (plan.host_key.empty() || accept_new_key) {
      engine.store_.pin_host_key(plan.device_id, session->host_key());
    }
    engine.store_.record_connection(plan.connection_id, true, "");
  }

  [[nodiscard]] std::string image_on_device() const {
    return domain::upgrade::image_path_on_device(plan.image_file_name);
  }

  domain::upgrade::CommandResult sh(const std::string& command) {
    return session->run(command, seconds(engine.config_.ssh_command_timeout_seconds));
  }

  // /tmp is RAM on OpenWrt: the package lists and what an earlier attempt of this operation left
  // of the image (an upload cut midway) go before free memory is read.
  std::optional<std::uint64_t> free_memory() {
    const std::string leftover = plan.image_file_name.empty() ? "" : "rm -f " + image_on_device() + "; ";
    return domain::upgrade::available_memory(
        sh("rm -rf /tmp/opkg-lists/; " + leftover + "sync && echo 3 > /proc/sys/vm/drop_caches; cat /proc/meminfo")
            .out);
  }

  // After a failure: best effort, the connection may be the thing that failed.
  void restart_services_quietly() {
    try {
      if (session != nullptr) {
        restart_services();
      }
    } catch (const Error& error) {
      spdlog::warn("operation {}: services not restarted: {}", plan.id, error.what());
    }
  }

  void restart_services() {
    if (services_stopped) {
      sh(std::string("for s in ") + kServices + "; do [ -x /etc/init.d/$s ] && /etc/init.d/$s start; done; wifi up");
      services_stopped = false;
      log("Services started again.");
    }
  }

  // fwhub's uuid on the device (/etc/config/fwhub) against the device's: learned when fwhub
  // knows none yet, written to a device that has none, a mismatch aborts.
  std::optional<Finished> check_uuid() {
    const std::string reported = trimmed(sh("uci -q get fwhub.device.uuid").out);
    if (!plan.device_uuid.empty()) {
      if (reported != plan.device_uuid) {
        return Finished{Outcome::kAborted, "Device identity mismatch: expected uuid " + plan.device_uuid + ", found " +
                                               (reported.empty() ? "none" : reported)};
      }
      return std::nullopt;
    }
    std::string uuid = reported;
    if (uuid.empty()) {
      uuid = plan.device_id;
      sh("mkdir -p /etc/config && printf \"config device 'device'\\n\\toption uuid '%s'\\n\" " + uuid +
         " > /etc/config/fwhub");
      log("Device identity written: uuid " + uuid + ".");
    }
    engine.store_.pin_uuid(plan.device_id, uuid);
    return std::nullopt;
  }

  // Connect … sysupgrade --test; a Finished when the run ends there.
  std::optional<Finished> prepare() {
    if (plan.deactivated) {
      return Finished{Outcome::kAborted, "Firmware upgrades are not allowed for deactivated devices."};
    }
    if (plan.connection_id.empty() || plan.device_address.empty()) {
      return Finished{Outcome::kAborted, "The device has no enabled connection with credentials and an address."};
    }
    connect(false);
    if (!step("connected", 10)) {
      return Finished{Outcome::kCancelled, "Stopped before reflashing."};
    }
    log("Connection successful, starting upgrade...");
    const std::string board = trimmed(sh("cat /tmp/sysinfo/board_name").out);
    if (!plan.device_board.empty() && board != plan.device_board) {
      return Finished{Outcome::kAborted,
                      "Device identity mismatch: expected board " + plan.device_board + ", found " + board};
    }
    if (auto mismatch = check_uuid()) {
      return mismatch;
    }
    if (!step("identity", 15)) {
      return Finished{Outcome::kCancelled, "Stopped before reflashing."};
    }
    if (trimmed(sh(std::string("cat ") + kChecksumFile + " 2>/dev/null").out) == plan.image_sha256) {
      log("Image checksum matches the one on the device: upgrade not needed.");
      return Finished{Outcome::kSuccess, ""};
    }
    if (!step("checksum", 20)) {
      return Finished{Outcome::kCancelled, "Stopped before reflashing."};
    }
    const std::uint64_t size = std::filesystem::file_size(plan.image_path);
    auto memory = free_memory();
    log("Free memory: " + std::to_string(memory.value_or(0) / 1024) + " KiB, image: " + std::to_string(size / 1024) +
        " KiB.");
    if (memory.value_or(0) < size) {
      log("Not enough memory: stopping non-critical services.");
      services_stopped = true;
      sh(std::string("for s in ") + kServices + "; do [ -x /etc/init.d/$s ] && /etc/init.d/$s stop; done; wifi down");
      memory = free_memory();
      if (memory.value_or(0) < size) {
        restart_services();
        return Finished{Outcome::kAborted, "There is not enough memory on the device (" +
                                               std::to_string(memory.value_or(0) / 1024) + " KiB free, " +
                                               std::to_string(size / 1024) + " KiB needed)."};
      }
    }
    const std::string image = image_on_device();
    step("uploading", 25);
    log("Uploading the image to " + image + "...");
    std::uint64_t taken = 0;
    session->upload(
        plan.image_path, image,
        [this, &taken](std::uint64_t sent) {
          engine.bandwidth_.take(sent - taken);
          taken = sent;
        },
        0);
    const std::string uploaded = trimmed(sh("sha256sum " + image).out).substr(0, 64);
    if (uploaded != plan.image_sha256) {
      sh("rm -f " + image);
      throw Error(Code::kUnavailable, "the uploaded image's checksum differs (" + uploaded + ")");
    }
    log("Upload done, checksum verified on the device.");
    const auto test = sh("/sbin/sysupgrade --test " + image);
    if (test.exit_status != 0) {
      sh("rm -f " + image);  // the image would hold the device's RAM until it reboots
      restart_services();
      return Finished{Outcome::kAborted, "sysupgrade --test failed: " + trimmed(test.err + test.out)};
    }
    log("sysupgrade --test passed.");
    if (!step("tested", 60)) {
      sh("rm -f " + image);
      restart_services();
      return Finished{Outcome::kCancelled, "Stopped before reflashing."};
    }
    return std::nullopt;
  }

  // The reflash; the connection dropping is expected.
  std::optional<Finished> reflash() {
    if (!step("reflashing", 65)) {
      restart_services();
      return Finished{Outcome::kCancelled, "Stopped before reflashing."};
    }
    const auto options = domain::upgrade::parse_upgrade_options(plan.options_json);
    const std::string command = domain::upgrade::sysupgrade_command(options, image_on_device());
    log("Reflashing: " + command);
    sh(std::string("rm -f ") + kChecksumFile);
    try {
      const auto result = session->run(command, seconds(engine.config_.upgrade_timeout_seconds));
      const std::string output = trimmed(result.err + result.out);
      const bool false_positive = output.find("Command failed: ubus call system sysupgrade") != std::string::npos &&
                                  output.find("(Connection failed)") != std::string::npos;
      if (result.exit_status != 0 && !false_positive) {
        return Finished{Outcome::kFailed, "sysupgrade failed: " + output};
      }
    } catch (const Error& error) {
      if (error.code() != Code::kUnavailable && error.code() != Code::kDeadlineExceeded) {
        throw;
      }
      log("Connection closed by the reflash (expected).");
    }
    session.reset();
    step("rebooting", 70);
    engine.store_.set_reconnect_attempts(plan.id, 0);
    log("Waiting " + std::to_string(engine.config_.reconnect_delay_seconds) + " s for the device to reboot...");
    return std::nullopt;
  }

  // After the reflash: one reconnect attempt; verifies the running firmware when it succeeds.
  std::variant<Finished, seconds> reconnect() {
    const auto options = domain::upgrade::parse_upgrade_options(plan.options_json);
    try {
      connect(options.get('n'));  // without kept configuration the device made new host keys
    } catch (const Error& error) {
      if (error.code() == Code::kFailedPrecondition || error.code() == Code::kUnauthenticated) {
        engine.store_.record_connection(plan.connection_id, false, error.what());
        return Finished{Outcome::kFailed, error.what()};  // not the device we flashed, or locked out
      }
      const int attempts = plan.reconnect_attempts + 1;
      engine.store_.set_reconnect_attempts(plan.id, attempts);
      log("Reconnect attempt " + std::to_string(attempts) + " failed: " + error.what());
      if (attempts > engine.config_.reconnect_max_retries) {
        engine.store_.record_connection(plan.connection_id, false, error.what());
        return Finished{Outcome::kFailed, "Giving up, device not reachable anymore after upgrade"};
      }
      return seconds(engine.config_.reconnect_retry_delay_seconds);
    }
    step("reconnected", 90);
    log("Connected again.");
    const Metadata metadata = read_metadata(plan.image_metadata_json);
    const auto release = domain::upgrade::parse_openwrt_release(sh("cat /etc/openwrt_release").out);
    const std::string revision = release.contains("DISTRIB_REVISION") ? release.at("DISTRIB_REVISION") : "";
    const std::string board = trimmed(sh("cat /tmp/sysinfo/board_name").out);
    if (!metadata.revision.empty() && revision != metadata.revision) {
      return Finished{Outcome::kFailed, "The device came back running " + revision + ", not the new firmware (" +
                                            metadata.revision + ")."};
    }
    if (!metadata.supported_devices.empty() &&
        std::find(metadata.supported_devices.begin(), metadata.supported_devices.end(), board) ==
            metadata.supported_devices.end()) {
      return Finished{Outcome::kFailed, "The device came back as board " + board + ", which the image is not for."};
    }
    sh(std::string("mkdir -p /etc/fwhub && echo ") + plan.image_sha256 + " > " + kChecksumFile);
    log("The device runs " + (release.contains("DISTRIB_DESCRIPTION") ? release.at("DISTRIB_DESCRIPTION") : revision) +
        ".");
    return Finished{Outcome::kSuccess, ""};
  }
};

std::optional<seconds> UpgradeEngine::run(const std::string& operation_id, bool last_attempt) {
  auto plan = store_.plan(operation_id);
  if (plan && plan->status == "queued" && plan->batch_id.empty()) {
    if (!store_.admit(operation_id, config_.max_parallel_per_organization)) {
      return seconds(config_.dispatch_interval_seconds);  // the organization's slots are taken: look again
    }
    plan = store_.plan(operation_id);
  }
  if (!plan || plan->status != "in-progress") {
    return std::nullopt;
  }
  Run op{*this, std::move(*plan), nullptr};
  const auto finish = [&op, this](const Finished& finished) {
    if (!finished.message.empty()) {
      op.log(finished.message);
    }
    const Metadata metadata = read_metadata(op.plan.image_metadata_json);
    const std::string os =
        metadata.version.empty() ? "" : metadata.dist + " " + metadata.version + " " + metadata.revision;
    if (finished.outcome == Outcome::kSuccess) {
      op.log("Upgrade completed successfully.");
    }
    store_.finish(op.plan.id, finished.outcome, os);
    return std::optional<seconds>();
  };
  if (op.plan.age_seconds > config_.task_timeout_seconds) {
    return finish({Outcome::kFailed, "Operation timed out."});
  }
  if (secrets_ == nullptr) {
    return finish({Outcome::kAborted, "The scheduler has no fleet.secret_key to open the device's credentials."});
  }
  try {
    if (after_reflash(op.plan.step)) {
      const auto reconnected = op.reconnect();
      if (const auto* wait = std::get_if<seconds>(&reconnected)) {
        return *wait;
      }
      return finish(std::get<Finished>(reconnected));
    }
    if (auto finished = op.prepare()) {
      return finish(*finished);
    }
    if (auto finished = op.reflash()) {
      return finish(*finished);
    }
    return seconds(config_.reconnect_delay_seconds);
  } catch (const Error& error) {
    if (error.code() == Code::kUnauthenticated || error.code() == Code::kFailedPrecondition) {
      store_.record_connection(op.plan.connection_id, false, error.what());
      return finish({Outcome::kAborted, error.what()});
    }
    if (error.code() != Code::kUnavailable && error.code() != Code::kDeadlineExceeded) {
      throw;
    }
    op.log(std::string("Recoverable failure: ") + error.what());
    if (op.session == nullptr) {
      store_.record_connection(op.plan.connection_id, false, error.what());
      if (op.plan.persistent && !after_reflash(op.plan.step)) {
        const int attempt = op.plan.pending_attempts + 1;
        const seconds delay = domain::upgrade::offline_retry_delay(attempt, seconds(config_.offline_retry_seconds),
                                                                   seconds(config_.offline_retry_max_seconds), random_);
        if (op.plan.seconds_to_deadline && delay.count() > *op.plan.seconds_to_deadline) {
          return finish({Outcome::kFailed, "The device stayed offline until the batch's deadline."});
        }
        op.log("The device is offline: trying again in " + std::to_string(delay.count()) + " s (attempt " +
               std::to_string(attempt) + ").");
        store_.postpone(op.plan.id, delay);
        return std::nullopt;
      }
    }
    op.restart_services_quietly();
    if (last_attempt) {
      return finish({Outcome::kFailed, std::string("Max retries exceeded. Upgrade failed: ") + error.what()});
    }
    throw Error(Code::kUnavailable, error.what());
  }
}

}  // namespace fwhub::service
