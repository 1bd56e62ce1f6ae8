// What the upgrade engine and the upgrade use cases need from storage (db::UpgradeRepository).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace fwhub::domain::upgrade {

// An operation with everything its run needs: device, image and login.
struct OperationPlan {
  std::string id;
  std::string status;  // queued, pending, in-progress, success, failed, cancelled, aborted
  std::string step;    // the last durable step
  int progress = 0;
  int reconnect_attempts = 0;
  long age_seconds = 0;  // since the operation was created
  std::string options_json;
  std::string device_id;
  std::string device_address;
  int device_port = 22;
  std::string device_board;
  std::string device_model;
  std::string host_key;     // "" = not pinned yet
  std::string device_uuid;  // fwhub's identity of the device; "" = not known yet
  bool deactivated = false;
  std::string connection_id;  // "" = no enabled connection
  std::string username;
  std::string secret_kind;  // "password" or "private_key"
  std::string sealed_secret;
  // Why the connection's credentials must not be used here (credential_trust.hpp); "" = they may.
  // The first usable enabled connection is chosen; with none usable, the first one and its reason.
  std::string credential_refusal;
  std::optional<std::string> image_id;
  std::string image_path;  // local file
  std::string image_file_name;
  std::string image_sha256;
  std::string image_metadata_json;
  std::string batch_id;                     // "" = a single operation
  bool persistent = false;                  // of a persistent batch: an offline device waits as 'pending'
  std::optional<long> seconds_to_deadline;  // the batch's deadline
  int pending_attempts = 0;                 // times the device was found offline
};

enum class Outcome { kSuccess, kFailed, kCancelled, kAborted };

// What "refresh device info" read from a device.
struct DeviceFacts {
  std::string model;
  std::string board_name;
  std::string os;  // DISTRIB_DESCRIPTION: "OpenWrt 23.05.4 r24012-d8dd03c46f"
  std::optional<std::uint64_t> memory_free_kb;
};

class UpgradeStore {
 public:
  virtual ~UpgradeStore() = default;
  virtual std::optional<OperationPlan> plan(const std::string& operation_id) = 0;
  // Durable step and progress; false when the operation is no longer in progress (cancelled).
  virtual bool set_step(const std::string& operation_id, const std::string& step, int progress) = 0;
  virtual void append_log(const std::string& operation_id, const std::string& line) = 0;
  virtual void set_reconnect_attempts(const std::string& operation_id, int attempts) = 0;
  virtual void pin_host_key(const std::string& device_id, const std::string& host_key) = 0;
  virtual void pin_uuid(const std::string& device_id, const std::string& uuid) = 0;
  virtual void record_connection(const std::string& connection_id, bool working, const std::string& reason) = 0;
  // Ends an in-progress operation; on success also marks the device firmware installed and the
  // device's os. False when it had already ended (a cancel won).
  virtual bool finish(const std::string& operation_id, Outcome outcome, const std::string& os) = 0;
  // Puts an operation of a persistent batch back as 'pending' for `delay` (device offline).
  virtual bool postpone(const std::string& operation_id, std::chrono::seconds delay) = 0;
  // A single operation queued at its organization's limit becomes in-progress when a slot is free;
  // false while it has to wait (or when it is no longer queued).
  virtual bool admit(const std::string& operation_id, int max_parallel_per_organization) = 0;

  // A plan for reaching the device alone (operation fields empty); nullopt for an unknown device.
  virtual std::optional<OperationPlan> device_plan(const std::string& device_id) = 0;
  virtual void save_device_facts(const std::string& device_id, const DeviceFacts& facts) = 0;
  virtual void save_refresh_error(const std::string& device_id, const std::string& error) = 0;
};

enum class CancelResult { kCancelled, kNotFound, kFinished, kReflashing };

struct StartLimits {
  int max_attempts = 1;                   // the upgrade job's attempts
  int max_parallel_per_organization = 0;  // at this many running, a new operation waits queued; 0 = none
};

// Starting and cancelling operations (the API side).
class UpgradeQueue {
 public:
  virtual ~UpgradeQueue() = default;
  // The operation and its job in one transaction; the operation is in progress, or queued when its
  // organization runs as many as the limit allows. Throws Error kAlreadyExists when the device
  // has an operation in progress.
  virtual std::string start(const std::string& device_id, const std::string& organization_id,
                            const std::string& image_id, const std::string& options_json,
                            const StartLimits& limits) = 0;
  // Queues a "refresh device info" job; false when one of the device is queued or running already.
  virtual bool enqueue_refresh(const std::string& device_id) = 0;
  // True when the device has an operation in progress.
  virtual bool active(const std::string& device_id) = 0;
  // Cancels an operation that has not begun reflashing.
  virtual CancelResult cancel(const std::string& operation_id) = 0;
};

}  // namespace fwhub::domain::upgrade
