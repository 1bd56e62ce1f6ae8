// Upgrade operations in MariaDB: the engine's durable steps and log, starting (operation and job
// in one transaction, one active operation per device) and cancelling.
#pragma once

#include <filesystem>

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/upgrade/upgrade_store.hpp"

namespace fwhub::db {

class UpgradeRepository final : public domain::upgrade::UpgradeStore, public domain::upgrade::UpgradeQueue {
 public:
  // firmware_root: STATE_DIR/firmware, where image files are.
  UpgradeRepository(Connection& connection, std::filesystem::path firmware_root)
      : connection_(connection), firmware_root_(std::move(firmware_root)) {}

  std::optional<domain::upgrade::OperationPlan> plan(const std::string& operation_id) override;
  bool set_step(const std::string& operation_id, const std::string& step, int progress) override;
  void append_log(const std::string& operation_id, const std::string& line) override;
  void set_reconnect_attempts(const std::string& operation_id, int attempts) override;
  void pin_host_key(const std::string& device_id, const std::string& host_key) override;
  void pin_uuid(const std::string& device_id, const std::string& uuid) override;
  void record_connection(const std::string& connection_id, bool working, const std::string& reason) override;
  bool finish(const std::string& operation_id, domain::upgrade::Outcome outcome, const std::string& os) override;
  bool postpone(const std::string& operation_id, std::chrono::seconds delay) override;
  bool admit(const std::string& operation_id, int max_parallel_per_organization) override;

  std::optional<domain::upgrade::OperationPlan> device_plan(const std::string& device_id) override;
  void save_device_facts(const std::string& device_id, const domain::upgrade::DeviceFacts& facts) override;
  void save_refresh_error(const std::string& device_id, const std::string& error) override;

  std::string start(const std::string& device_id, const std::string& organization_id, const std::string& image_id,
                    const std::string& options_json, const domain::upgrade::StartLimits& limits) override;
  bool enqueue_refresh(const std::string& device_id) override;
  bool active(const std::string& device_id) override;
  domain::upgrade::CancelResult cancel(const std::string& operation_id) override;

 private:
  std::optional<domain::upgrade::OperationPlan> read_plan(const std::string& sql, const std::string& id);

  Connection& connection_;
  std::filesystem::path firmware_root_;
};

}  // namespace fwhub::db
