// SQL of mass upgrades, as named constants, and its execution.
#include "fwhub/db/batch_repository.hpp"

#include <cppconn/exception.h>
#include <spdlog/spdlog.h>

#include <set>

#include "fwhub/common/random.hpp"
#include "fwhub/db/batch_counters.hpp"
#include "fwhub/db/organization_slots.hpp"
#include "fwhub/db/random_uuid_sql.hpp"
#include "fwhub/db/statement.hpp"
#include "fwhub/domain/upgrade/batch_rules.hpp"

namespace fwhub::db {
namespace {

using domain::upgrade::ActionResult;
using domain::upgrade::BatchSelection;
using domain::upgrade::SelectedDevice;

// Devices in the batch's scope: its organization (all for a shared category), group, location.
constexpr const char* kScope =
    " AND (? = '' OR d.organization_id = ?) AND (? = '' OR d.group_name = ?) AND (? = '' OR d.location = ?)";
constexpr const char* kIdle =
    " AND NOT d.deactivated AND NOT EXISTS (SELECT 1 FROM upgrade_operations a WHERE a.active_device = d.id)";
// (a) Devices whose firmware is of the build's category and not this build installed; they get
// the build's image of the same type as their current one.
constexpr const char* kWithFirmware =
    "SELECT f.id AS firmware_id, d.id AS device_id, d.name AS device_name, d.model, d.board_name,"
    " n.id AS image_id, n.type AS image_type FROM device_firmware f"
    " JOIN devices d ON d.id = f.device_id JOIN fw_images cur ON cur.id = f.image_id"
    " JOIN fw_builds cb ON cb.id = cur.build_id JOIN fw_images n ON n.build_id = ? AND n.type = cur.type"
    " WHERE cb.category_id = ? AND NOT (f.installed AND cur.build_id = ?)";
// (b) Devices without firmware that an image of the build fits (board name first, then model).
constexpr const char* kFits =
    "((d.board_name <> '' AND JSON_CONTAINS(i.boards, JSON_QUOTE(d.board_name)))"
    " OR (d.model <> '' AND JSON_CONTAINS(i.boards, JSON_QUOTE(d.model))))";
const std::string kFirmwareless =
    std::string(
        "SELECT '', d.id, d.name, d.model, d.board_name, n.id, n.type FROM devices d JOIN fw_images n ON n.id ="
        " (SELECT i.id FROM fw_images i WHERE i.build_id = ? AND ") +
    kFits +
    " ORDER BY (d.board_name <> '' AND JSON_CONTAINS(i.boards, JSON_QUOTE(d.board_name))) DESC, i.type LIMIT 1)"
    " WHERE NOT EXISTS (SELECT 1 FROM device_firmware f WHERE f.device_id = d.id) AND ? <> ''";
// Every device in scope with the first reason that keeps it out of the batch.
const std::string kReasons =
    std::string(
        "SELECT d.id, d.name, CASE WHEN d.deactivated THEN 'The device is deactivated.'"
        " WHEN EXISTS (SELECT 1 FROM upgrade_operations a WHERE a.active_device = d.id)"
        "  THEN 'An upgrade operation is in progress on this device.'"
        " WHEN f.id IS NULL THEN 'It has no firmware yet and no image of this build fits its board or model.'"
        " WHEN cb.category_id <> ? THEN 'Its firmware belongs to another category.'"
        " WHEN f.installed AND cur.build_id = ? THEN 'This build is already installed.'"
        " ELSE CONCAT('This build has no image of its type (', cur.type, ').') END"
        " FROM devices d LEFT JOIN device_firmware f ON f.device_id = d.id"
        " LEFT JOIN fw_images cur ON cur.id = f.image_id LEFT JOIN fw_builds cb ON cb.id = cur.build_id"
        " WHERE TRUE") +
    kScope + " ORDER BY d.name, d.id";

constexpr const char* kInsertBatch =
    "INSERT INTO batch_upgrade_operations (id, organization_id, build_id, status, group_name, location, upgrade_all,"
    " upgrade_options, scheduled_at, persistent, deadline, max_parallel, max_failure_rate, stop_reason)"
    " VALUES (?, ?, ?, IF(? IS NOT NULL AND ? > NOW(3), 'scheduled', 'in-progress'), ?, ?, ?, ?, ?, ?, ?, ?, ?, '')";
const std::string kInsertOperations =
    std::string(
        "INSERT INTO upgrade_operations (id, device_id, organization_id, image_id, batch_id, status,"
        " upgrade_options, log, batch_seq) SELECT ") +
    kRandomUuidSql + ", s.device_id, d.organization_id, s.image_id, ?, 'queued', ?, '', 1 FROM (";
constexpr const char* kRetarget =
    "UPDATE device_firmware f JOIN upgrade_operations o ON o.device_id = f.device_id AND o.batch_id = ?"
    " SET f.image_id = o.image_id, f.installed = FALSE";
const std::string kAddFirmware =
    std::string("INSERT INTO device_firmware (id, device_id, image_id, installed) SELECT ") + kRandomUuidSql +
    ", o.device_id, o.image_id, FALSE FROM upgrade_operations o WHERE o.batch_id = ?"
    " AND NOT EXISTS (SELECT 1 FROM device_firmware f WHERE f.device_id = o.device_id)";
constexpr const char* kSetFirstWave = "UPDATE batch_upgrade_operations SET first_wave = ? WHERE id = ?";
constexpr const char* kInsertDispatcher =
    "INSERT IGNORE INTO jobs (kind, payload, priority, max_attempts, run_at, active_key)"
    " VALUES ('batch_dispatch', JSON_OBJECT('batch_id', ?), 1, 1000, GREATEST(NOW(3), IFNULL(?, NOW(3))),"
    " CONCAT('batch:', ?))";

constexpr const char* kCancelOperations =
    "UPDATE upgrade_operations SET status = 'cancelled', batch_seq = ?,"
    " log = CONCAT(log, 'Cancelled with its batch.\\n')"
    " WHERE batch_id = ? AND (status IN ('queued', 'pending') OR (status = 'in-progress' AND progress < 65))";
constexpr const char* kSetStatus = "UPDATE batch_upgrade_operations SET status = ? WHERE id = ?";

constexpr const char* kDispatchState =
    "SELECT scheduled_at IS NOT NULL AND scheduled_at > NOW(3), TIMESTAMPDIFF(MICROSECOND, NOW(3), scheduled_at),"
    " max_parallel, first_wave, max_failure_rate, wave_passed, IFNULL(organization_id, ''),"
    " deadline IS NOT NULL AND deadline <= NOW(3) FROM batch_upgrade_operations WHERE id = ?";
constexpr const char* kExpirePending =
    "UPDATE upgrade_operations SET status = 'failed', batch_seq = ?,"
    " log = CONCAT(log, 'The device stayed offline until the batch''s deadline.\\n')"
    " WHERE batch_id = ? AND status = 'pending'";
constexpr const char* kStopWave =
    "UPDATE upgrade_operations SET status = 'cancelled', batch_seq = ?, log = CONCAT(log, 'Not started: ', ?, '\\n')"
    " WHERE batch_id = ? AND status = 'queued'";
constexpr const char* kWaveVerdict =
    "UPDATE batch_upgrade_operations SET wave_passed = ?, stop_reason = ? WHERE id = ?";
constexpr const char* kStart =
    "UPDATE upgrade_operations SET status = 'in-progress', started = NOW(3), step = 'queued', progress = 0,"
    " batch_seq = ? WHERE batch_id = ? AND (status = 'queued' OR (status = 'pending' AND next_attempt_at <= NOW(3)))"
    " ORDER BY status DESC, created, id LIMIT ?";
constexpr const char* kStartJobs =
    "INSERT INTO jobs (kind, payload, priority, max_attempts, run_at, active_key)"
    " SELECT 'upgrade', JSON_OBJECT('operation_id', id), 0, ?, NOW(3), CONCAT('upgrade:', id)"
    " FROM upgrade_operations WHERE batch_id = ? AND batch_seq = ? AND status = 'in-progress'";
constexpr const char* kNextPending =
    "SELECT GREATEST(0, TIMESTAMPDIFF(MICROSECOND, NOW(3), MIN(next_attempt_at))) FROM upgrade_operations"
    " WHERE batch_id = ? AND status = 'pending'";

constexpr const char* kBuildCategory = "SELECT category_id FROM fw_builds WHERE id = ?";

constexpr int kDuplicateKey = 1062;
constexpr int kLockWaitTimeout = 1205;
constexpr int kDeadlock = 1213;

// The scope's bound values, in kScope's order.
BoundValues scope_values(const BatchSelection& s) {
  const std::string organization = s.organization_id.value_or("");
  return {organization, organization, s.group, s.group, s.location, s.location};
}

// (a) then, when `with_firmwareless`, (b): the statement and its values.
std::pair<std::string, BoundValues> selection_sql(const BatchSelection& s, bool with_firmwareless) {
  std::string sql = std::string(kWithFirmware) + kScope + kIdle + " UNION ALL " + kFirmwareless + kScope + kIdle;
  BoundValues values = {s.build_id, s.category_id, s.build_id};
  const auto scope = scope_values(s);
  values.insert(values.end(), scope.begin(), scope.end());
  values.emplace_back(s.build_id);
  values.emplace_back(with_firmwareless ? "1" : "");
  values.insert(values.end(), scope.begin(), scope.end());
  return {sql, values};
}

std::vector<SelectedDevice> read_selection(Connection& c, const BatchSelection& s) {
  auto [sql, values] = selection_sql(s, true);
  auto statement = c.prepare(sql + " ORDER BY 3, 2");
  bind_all(*statement, values);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  std::vector<SelectedDevice> selected;
  while (rows->next()) {
    selected.push_back({rows->getString(1), rows->getString(2), rows->getString(3), rows->getString(4),
                        rows->getString(5), rows->getString(6), rows->getString(7)});
  }
  return selected;
}

// Runs `fn` as one transaction again when InnoDB rolled it back for a lock conflict, or when a
// device got another operation meanwhile (it is then no longer selected).
template <typename Fn>
auto rerun_on_conflict(Connection& c, const char* what, Fn&& fn) -> decltype(fn(c)) {
  for (int attempt = 1;; ++attempt) {
    try {
      return fn(c);
    } catch (const sql::SQLException& error) {
      const int code = error.getErrorCode();
      if ((code != kDeadlock && code != kLockWaitTimeout && code != kDuplicateKey) || attempt == 5) {
        throw;
      }
      spdlog::info("{}: transaction conflict ({}), attempt {} of 5", what, error.what(), attempt + 1);
    }
  }
}

}  // namespace

std::optional<std::string> BatchRepository::build_category(const std::string& build_id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<std::string> {
    auto statement = c.prepare(kBuildCategory);
    statement->setString(1, build_id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    return rows->getString(1);
  });
}

domain::upgrade::DryRun BatchRepository::dry_run(const BatchSelection& selection) {
  return with_connection(connection_, [&](Connection& c) {
    domain::upgrade::DryRun result;
    std::set<std::string> chosen;
    for (auto& device : read_selection(c, selection)) {
      chosen.insert(device.device_id);
      (device.firmware_id.empty() ? result.devices : result.device_firmwares).push_back(std::move(device));
    }
    auto statement = c.prepare(kReasons);
    BoundValues values = {selection.category_id, selection.build_id};
    const auto scope = scope_values(selection);
    values.insert(values.end(), scope.begin(), scope.end());
    bind_all(*statement, values);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    while (rows->next()) {
      std::string id = rows->getString(1);
      if (!chosen.contains(id)) {
        result.excluded.push_back({std::move(id), rows->getString(2), rows->getString(3)});
      }
    }
    return result;
  });
}

std::optional<std::string> BatchRepository::create(const domain::upgrade::NewBatch& batch) {
  return with_connection(connection_, [&](Connection& connection) {
    return rerun_on_conflict(connection, "batch creation", [&](Connection& c) -> std::optional<std::string> {
      Transaction transaction(c);
      const std::string id = random_uuid();
      const auto& s = batch.selection;
      execute(c, kInsertBatch,
              {id, s.organization_id, s.build_id, batch.scheduled_at, batch.scheduled_at, s.group, s.location,
               batch.upgrade_all ? "1" : "0", batch.options_json, batch.scheduled_at, batch.persistent ? "1" : "0",
               batch.deadline, std::to_string(batch.max_parallel), std::to_string(batch.max_failure_rate)});
      auto [selection, values] = selection_sql(s, batch.upgrade_all);
      values.insert(values.begin(), {id, batch.options_json});
      const int created =
          execute(c, kInsertOperations + selection + ") s JOIN devices d ON d.id = s.device_id", values);
      if (created == 0) {
        return std::nullopt;  // the transaction rolls back
      }
      execute(c, kRetarget, {id});
      execute(c, kAddFirmware, {id});
      execute(
          c, kSetFirstWave,
          {std::to_string(domain::upgrade::first_wave_size(batch.first_wave, batch.first_wave_percent, created)), id});
      const auto locked = lock_batch(c, id);
      store_counts(c, *locked);
      execute(c, kInsertDispatcher, {id, batch.scheduled_at, id});
      transaction.commit();
      return id;
    });
  });
}

ActionResult BatchRepository::act(const std::string& batch_id, domain::upgrade::BatchAction action) {
  using domain::upgrade::BatchAction;
  return with_connection(connection_, [&](Connection& connection) {
    return rerun_on_conflict(connection, "batch action", [&](Connection& c) {
      Transaction transaction(c);
      auto batch = lock_batch(c, batch_id);
      if (!batch) {
        return ActionResult::kNotFound;
      }
      const std::string& status = batch->status;
      const bool open = status == "scheduled" || status == "in-progress" || status == "paused";
      switch (action) {
        case BatchAction::kCancel:
          if (!open) {
            return ActionResult::kConflict;
          }
          execute(c, kCancelOperations, {std::to_string(batch->next_seq), batch_id});
          batch->status = "cancelled";
          break;
        case BatchAction::kPause:
          if (status != "scheduled" && status != "in-progress") {
            return ActionResult::kConflict;
          }
          batch->status = "paused";
          break;
        case BatchAction::kResume:
          if (status != "paused") {
            return ActionResult::kConflict;
          }
          batch->status = "in-progress";
          execute(c, kInsertDispatcher, {batch_id, std::nullopt, batch_id});
          wake_dispatcher(c, batch_id);
          break;
      }
      execute(c, kSetStatus, {batch->status, batch_id});
      store_counts(c, *batch);
      transaction.commit();
      return ActionResult::kDone;
    });
  });
}

std::optional<std::chrono::milliseconds> BatchRepository::dispatch(const std::string& batch_id,
                                                                   const domain::upgrade::DispatchLimits& limits) {
  using std::chrono::milliseconds;
  return with_connection(connection_, [&](Connection& connection) {
    return rerun_on_conflict(connection, "batch dispatch", [&](Connection& c) -> std::optional<milliseconds> {
      Transaction transaction(c);
      auto batch = lock_batch(c, batch_id);
      if (!batch || (batch->status != "scheduled" && batch->status != "in-progress")) {
        return std::nullopt;
      }
      auto state = c.prepare(kDispatchState);
      state->setString(1, batch_id);
      std::unique_ptr<sql::ResultSet> row(state->executeQuery());
      row->next();
      if (row->getBoolean(1)) {
        return milliseconds(row->getInt64(2) / 1000 + 1);  // not yet: wake up at the scheduled time
      }
      const int max_parallel = row->getInt(3);
      const int first_wave = row->getInt(4);
      const auto max_failure_rate = static_cast<double>(row->getDouble(5));
      const bool wave_passed = row->getBoolean(6);
      const std::string organization = row->getString(7);
      const std::string seq = std::to_string(batch->next_seq);
      batch->status = "in-progress";
      execute(c, kSetStatus, {batch->status, batch_id});
      if (row->getBoolean(8)) {
        execute(c, kExpirePending, {seq, batch_id});
      }
      auto counts = count_operations(c, batch_id);
      int allowed = counts.queued + counts.pending;
      if (first_wave > 0 && !wave_passed) {
        if (const auto verdict = domain::upgrade::judge_first_wave(first_wave, counts, max_failure_rate)) {
          execute(c, kWaveVerdict, {verdict->passed ? "1" : "0", verdict->reason, batch_id});
          if (!verdict->passed) {
            execute(c, kStopWave, {seq, verdict->reason, batch_id});
            allowed = 0;
          }
        } else {
          allowed = std::max(0, first_wave - (counts.total() - counts.queued));
        }
      }
      if (max_parallel > 0) {
        allowed = std::min(allowed, max_parallel - counts.in_progress);
      }
      if (allowed > 0) {
        allowed = std::min(allowed, free_upgrade_slots(c, organization, limits.max_parallel_per_organization));
      }
      if (allowed > 0 && execute(c, kStart, {seq, batch_id, std::to_string(allowed)}) > 0) {
        execute(c, kStartJobs, {std::to_string(limits.max_attempts), batch_id, seq});
      }
      counts = store_counts(c, *batch);
      const auto next_pending = query_int(c, kNextPending, {batch_id});
      transaction.commit();
      if (counts.open() == 0) {
        return std::nullopt;
      }
      if (counts.queued == 0 && counts.in_progress == 0 && next_pending >= 0) {
        return milliseconds(next_pending / 1000 + 1);  // only offline devices left: wake at the first retry
      }
      return interval_;
    });
  });
}

}  // namespace fwhub::db
