// What mass upgrades need from storage (db::BatchRepository): the dry-run selection, creating a
// batch with its operations in one set-based transaction, the operator's actions, and the
// dispatcher's step.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fwhub::domain::upgrade {

// Which devices a batch for a build considers.
struct BatchSelection {
  std::string build_id;
  std::string category_id;
  std::optional<std::string> organization_id;  // the category's; nullopt: shared category, all organizations
  std::string group;                           // "" = any
  std::string location;                        // "" = any
};

struct SelectedDevice {
  std::string firmware_id;  // the device firmware row; "" for a firmwareless device
  std::string device_id;
  std::string device_name;
  std::string model;
  std::string board_name;
  std::string image_id;  // the build's image the device gets
  std::string image_type;
};

struct ExcludedDevice {
  std::string device_id;
  std::string device_name;
  std::string reason;
};

struct DryRun {
  std::vector<SelectedDevice> device_firmwares;  // (a) devices with firmware of the category
  std::vector<SelectedDevice> devices;           // (b) firmwareless devices an image fits
  std::vector<ExcludedDevice> excluded;          // the other devices in scope, and why
};

struct NewBatch {
  BatchSelection selection;
  bool upgrade_all = false;
  std::string options_json;
  std::optional<std::string> scheduled_at;  // "YYYY-MM-DD HH:MM:SS" UTC; nullopt = now
  bool persistent = false;
  std::optional<std::string> deadline;  // "YYYY-MM-DD HH:MM:SS" UTC
  int max_parallel = 0;
  int first_wave = 0;
  double first_wave_percent = 0;
  double max_failure_rate = 0;
  int max_attempts = 5;  // of each operation's job
};

enum class BatchAction { kCancel, kPause, kResume };
enum class ActionResult { kDone, kNotFound, kConflict };

// What the dispatcher may start now.
struct DispatchLimits {
  int max_parallel_per_organization = 0;  // 0 = none
  int max_attempts = 5;                   // of each operation's job
};

class BatchStore {
 public:
  virtual ~BatchStore() = default;
  // The category of a fleet build; nullopt for an unknown build.
  virtual std::optional<std::string> build_category(const std::string& build_id) = 0;
  virtual DryRun dry_run(const BatchSelection& selection) = 0;
  // The batch, its operations (queued), the devices' firmware rows and its dispatcher job, in one
  // transaction; nullopt (nothing written) when no device matches.
  virtual std::optional<std::string> create(const NewBatch& batch) = 0;
  virtual ActionResult act(const std::string& batch_id, BatchAction action) = 0;
  // Starts what the batch's limits allow. Returns when to look again; nullopt when the batch has
  // nothing left to start (ended, paused or cancelled).
  virtual std::optional<std::chrono::milliseconds> dispatch(const std::string& batch_id,
                                                            const DispatchLimits& limits) = 0;
};

}  // namespace fwhub::domain::upgrade
