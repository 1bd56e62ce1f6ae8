// One device upgrade over SSH, run as a resumable job: the spec's steps with their progress
// milestones and log lines, durable before each step, so that a scheduler killed anywhere is
// resumed by another (before the reflash the steps restart; after it, never flash again but
// reconnect and verify). Reboot waits and reconnect attempts are deferrals, not sleeps.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "fwhub/common/bandwidth_limit.hpp"
#include "fwhub/common/config.hpp"
#include "fwhub/common/random.hpp"
#include "fwhub/common/secret_box.hpp"
#include "fwhub/domain/upgrade/device_session.hpp"
#include "fwhub/domain/upgrade/upgrade_store.hpp"

namespace fwhub::service {

class UpgradeEngine {
 public:
  UpgradeEngine(domain::upgrade::UpgradeStore& store, domain::upgrade::DeviceConnector& connector,
                const UpgradeConfig& config, const SecretBox* secrets, Random& random, BandwidthLimit& bandwidth)
      : store_(store),
        connector_(connector),
        config_(config),
        secrets_(secrets),
        random_(random),
        bandwidth_(bandwidth) {}

  // Runs the operation as far as it goes now. Returns a delay when it waits for the device
  // (run again then), nullopt when the operation ended. Throws Error kUnavailable for a
  // recoverable failure (retry with backoff) unless `last_attempt`, when it fails the operation.
  // In a persistent batch, a device found offline before the reflash waits as 'pending' instead.
  std::optional<std::chrono::seconds> run(const std::string& operation_id, bool last_attempt);

 private:
  struct Run;

  domain::upgrade::UpgradeStore& store_;
  domain::upgrade::DeviceConnector& connector_;
  const UpgradeConfig& config_;
  const SecretBox* secrets_;
  Random& random_;
  BandwidthLimit& bandwidth_;  // shared by the scheduler's uploads
};

}  // namespace fwhub::service
