// SQL of upgrade operations, as named constants, and its execution.
#include "fwhub/db/upgrade_repository.hpp"

#include <cppconn/exception.h>

#include "fwhub/common/random.hpp"
#include "fwhub/db/account_repository.hpp"
#include "fwhub/db/batch_counters.hpp"
#include "fwhub/db/organization_slots.hpp"
#include "fwhub/db/statement.hpp"
#include "fwhub/domain/upgrade/credential_trust.hpp"

namespace fwhub::db {
namespace {

using domain::upgrade::Outcome;

// The device (with who pointed it at its address) and the image, after the operation's columns.
constexpr const char* kDevicePart =
    " d.id, IF(d.management_ip <> '', d.management_ip, d.last_ip), d.ssh_port, d.board_name, d.model,"
    " IFNULL(d.host_key, ''), d.deactivated, d.organization_id, IFNULL(d.address_set_by, ''), d.address_by_superuser,"
    " i.id, IFNULL(i.build_id, ''), IFNULL(i.file_name, ''), IFNULL(i.sha256, ''), IFNULL(i.metadata, '{}'), d.uuid";
// The device's enabled connections with their credentials, in the order they were added.
constexpr const char* kConnections =
    "SELECT c.id, k.username, k.auth, k.secret, k.port, k.organization_id, c.attached_by_superuser,"
    " IFNULL(k.secret_set_by, '') FROM device_connections c JOIN credentials k ON k.id = c.credentials_id"
    " WHERE c.device_id = ? AND c.enabled ORDER BY c.created, c.id";
// The operation's batch, after the device part.
constexpr const char* kBatchPart =
    ", IFNULL(o.batch_id, ''), IFNULL(b.persistent, FALSE), TIMESTAMPDIFF(SECOND, NOW(3), b.deadline),"
    " o.pending_attempts";
const std::string kPlan = std::string(
                              "SELECT o.id, o.status, o.step, o.progress, o.reconnect_attempts,"
                              " TIMESTAMPDIFF(SECOND, IFNULL(o.started, o.created), NOW(3)), o.upgrade_options,") +
                          kDevicePart + kBatchPart + " FROM upgrade_operations o JOIN devices d ON d.id = o.device_id" +
                          " LEFT JOIN fw_images i ON i.id = o.image_id"
                          " LEFT JOIN batch_upgrade_operations b ON b.id = o.batch_id WHERE o.id = ?";
const std::string kDevicePlan = std::string("SELECT '', '', '', 0, 0, 0, '{}',") + kDevicePart +
                                ", '', FALSE, NULL, 0 FROM devices d LEFT JOIN fw_images i ON FALSE WHERE d.id = ?";
constexpr const char* kSaveFacts =
    "UPDATE devices SET model = ?, board_name = ?, os = ?, memory_free_kb = ?, refreshed_at = NOW(3),"
    " refresh_error = NULL WHERE id = ?";
constexpr const char* kSaveRefreshError = "UPDATE devices SET refresh_error = ?, refreshed_at = NOW(3) WHERE id = ?";
constexpr const char* kSetStep =
    "UPDATE upgrade_operations SET step = ?, progress = GREATEST(progress, ?), batch_seq = IF(? > 0, ?, batch_seq)"
    " WHERE id = ? AND status = 'in-progress'";
constexpr const char* kAppendLog = "UPDATE upgrade_operations SET log = CONCAT(log, ?, '\\n') WHERE id = ?";
constexpr const char* kSetAttempts = "UPDATE upgrade_operations SET reconnect_attempts = ? WHERE id = ?";
constexpr const char* kPinHostKey = "UPDATE devices SET host_key = ? WHERE id = ?";
constexpr const char* kPinUuid = "UPDATE devices SET uuid = ? WHERE id = ?";
constexpr const char* kRecordConnection =
    "UPDATE device_connections SET is_working = ?, failure_reason = ?, last_attempt = NOW(3) WHERE id = ?";
constexpr const char* kFinish =
    "UPDATE upgrade_operations SET status = ?, progress = IF(? = 'success', 100, progress),"
    " step = IF(? = 'success', 'done', step), batch_seq = IF(? > 0, ?, batch_seq) WHERE id = ? AND status = "
    "'in-progress'";
constexpr const char* kPostpone =
    "UPDATE upgrade_operations SET status = 'pending', step = 'queued', progress = 0, reconnect_attempts = 0,"
    " pending_attempts = pending_attempts + 1, next_attempt_at = NOW(3) + INTERVAL ? SECOND, batch_seq = ?"
    " WHERE id = ? AND status = 'in-progress'";
constexpr const char* kInstalled =
    "UPDATE device_firmware f JOIN upgrade_operations o ON o.device_id = f.device_id AND o.image_id = f.image_id"
    " SET f.installed = TRUE WHERE o.id = ?";
constexpr const char* kDeviceOs =
    "UPDATE devices d JOIN upgrade_operations o ON o.device_id = d.id SET d.os = ? WHERE o.id = ? AND ? <> ''";
constexpr const char* kInsert =
    "INSERT INTO upgrade_operations (id, device_id, organization_id, image_id, upgrade_options, log, status, started)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, IF(? = 'in-progress', NOW(3), NULL))";
constexpr const char* kAdmit =
    "UPDATE upgrade_operations SET status = 'in-progress', started = NOW(3), log = CONCAT(log, ?, '\\n')"
    " WHERE id = ? AND status = 'queued' AND batch_id IS NULL";
constexpr const char* kOrganizationOf = "SELECT organization_id FROM upgrade_operations WHERE id = ?";
constexpr const char* kInsertJob =
    "INSERT INTO jobs (kind, payload, priority, max_attempts, run_at, active_key)"
    " VALUES ('upgrade', JSON_OBJECT('operation_id', ?), 0, ?, NOW(3), CONCAT('upgrade:', ?))";
constexpr const char* kCancel =
    "UPDATE upgrade_operations SET status = 'cancelled', log = CONCAT(log, 'Cancelled by an operator.\\n'),"
    " batch_seq = IF(? > 0, ?, batch_seq)"
    " WHERE id = ? AND (status IN ('queued', 'pending') OR (status = 'in-progress' AND progress < 65))";
constexpr const char* kEnqueueRefresh =
    "INSERT IGNORE INTO jobs (kind, payload, priority, max_attempts, run_at, active_key)"
    " VALUES ('device_refresh', JSON_OBJECT('device_id', ?), 1, 1, NOW(3), CONCAT('device_refresh:', ?))";
constexpr const char* kActive = "SELECT 1 FROM upgrade_operations WHERE active_device = ?";
constexpr const char* kState = "SELECT status FROM upgrade_operations WHERE id = ?";

// The change number for an operation's batch ("0" = a single operation: kept as it is).
std::string seq_of(const std::optional<LockedBatch>& batch) {
  return batch ? std::to_string(batch->next_seq) : "0";
}

const char* outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSuccess:
      return "success";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kCancelled:
      return "cancelled";
    case Outcome::kAborted:
      return "aborted";
  }
  return "failed";
}

std::string waiting_line(int limit) {
  return "Waiting for a free slot: the organization already runs " + std::to_string(limit) +
         " upgrades (upgrade.max_parallel_per_organization).";
}

// The first enabled connection whose credentials may be used at the device's address (else the
// first one, with the reason it may not) goes into the plan; the credentials' port applies when the
// device keeps the default 22.
void choose_connection(Connection& c, const domain::upgrade::DeviceTrust& trust, domain::upgrade::OperationPlan& plan) {
  struct Row {
    std::string username;
    std::string kind;
    std::string sealed;
    int port = 22;
  };
  auto statement = c.prepare(kConnections);
  statement->setString(1, plan.device_id);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  std::vector<domain::upgrade::CredentialCandidate> candidates;
  std::vector<Row> details;
  while (rows->next()) {
    domain::upgrade::CredentialCandidate candidate;
    candidate.connection_id = rows->getString(1);
    details.push_back({rows->getString(2), rows->getString(3), rows->getString(4), rows->getInt(5)});
    if (!rows->isNull(6)) {
      candidate.organization_id = rows->getString(6);
    }
    candidate.password = details.back().kind == "password";
    candidate.attached_by_superuser = rows->getBoolean(7);
    candidate.secret_set_by = rows->getString(8);
    candidates.push_back(std::move(candidate));
  }
  const auto chosen = domain::upgrade::chosen_credential(trust, candidates);
  if (!chosen) {
    return;
  }
  const auto& row = details[*chosen];
  plan.connection_id = candidates[*chosen].connection_id;
  plan.username = row.username;
  plan.secret_kind = row.kind;
  plan.sealed_secret = row.sealed;
  plan.credential_refusal = domain::upgrade::credential_refusal(trust, candidates[*chosen]).value_or("");
  if (plan.device_port == 22) {
    plan.device_port = row.port;
  }
}

}  // namespace

std::optional<domain::upgrade::OperationPlan> UpgradeRepository::plan(const std::string& operation_id) {
  return read_plan(kPlan, operation_id);
}

std::optional<domain::upgrade::OperationPlan> UpgradeRepository::device_plan(const std::string& device_id) {
  return read_plan(kDevicePlan, device_id);
}

std::optional<domain::upgrade::OperationPlan> UpgradeRepository::read_plan(const std::string& sql,
                                                                           const std::string& id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<domain::upgrade::OperationPlan> {
    auto statement = c.prepare(sql);
    statement->setString(1, id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    domain::upgrade::OperationPlan plan;
    plan.id = rows->getString(1);
    plan.status = rows->getString(2);
    plan.step = rows->getString(3);
    plan.progress = rows->getInt(4);
    plan.reconnect_attempts = rows->getInt(5);
    plan.age_seconds = rows->getInt64(6);
    plan.options_json = rows->getString(7);
    plan.device_id = rows->getString(8);
    plan.device_address = rows->getString(9);
    plan.device_port = rows->getInt(10);
    plan.device_board = rows->getString(11);
    plan.device_model = rows->getString(12);
    plan.host_key = rows->getString(13);
    plan.deactivated = rows->getBoolean(14);
    const domain::upgrade::DeviceTrust trust{rows->getString(15), rows->getString(16), rows->getBoolean(17)};
    if (!rows->isNull(18)) {
      plan.image_id = rows->getString(18);
    }
    plan.image_file_name = rows->getString(20);
    plan.image_path = (firmware_root_ / std::string(rows->getString(19)) / plan.image_file_name).string();
    plan.image_sha256 = rows->getString(21);
    plan.image_metadata_json = rows->getString(22);
    plan.device_uuid = rows->getString(23);
    plan.batch_id = rows->getString(24);
    plan.persistent = rows->getBoolean(25);
    if (!rows->isNull(26)) {
      plan.seconds_to_deadline = rows->getInt64(26);
    }
    plan.pending_attempts = rows->getInt(27);
    choose_connection(c, trust, plan);
    return plan;
  });
}

void UpgradeRepository::save_device_facts(const std::string& device_id, const domain::upgrade::DeviceFacts& facts) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kSaveFacts);
    statement->setString(1, facts.model);
    statement->setString(2, facts.board_name);
    statement->setString(3, facts.os);
    if (facts.memory_free_kb) {
      statement->setUInt64(4, *facts.memory_free_kb);
    } else {
      statement->setNull(4, 0);
    }
    statement->setString(5, device_id);
    statement->executeUpdate();
  });
}

void UpgradeRepository::save_refresh_error(const std::string& device_id, const std::string& error) {
  with_connection(connection_, [&](Connection& c) { execute(c, kSaveRefreshError, {error, device_id}); });
}

bool UpgradeRepository::set_step(const std::string& operation_id, const std::string& step, int progress) {
  return with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    const auto batch = lock_batch_of(c, operation_id);
    const std::string seq = seq_of(batch);
    const bool changed = execute(c, kSetStep, {step, std::to_string(progress), seq, seq, operation_id}) > 0;
    if (changed && batch) {
      store_change(c, *batch);
    }
    transaction.commit();
    return changed;
  });
}

void UpgradeRepository::append_log(const std::string& operation_id, const std::string& line) {
  with_connection(connection_, [&](Connection& c) { execute(c, kAppendLog, {line, operation_id}); });
}

void UpgradeRepository::set_reconnect_attempts(const std::string& operation_id, int attempts) {
  with_connection(connection_, [&](Connection& c) {
    execute(c, kSetAttempts, {std::to_string(attempts), operation_id});
  });
}

void UpgradeRepository::pin_host_key(const std::string& device_id, const std::string& host_key) {
  with_connection(connection_, [&](Connection& c) { execute(c, kPinHostKey, {host_key, device_id}); });
}

void UpgradeRepository::pin_uuid(const std::string& device_id, const std::string& uuid) {
  with_connection(connection_, [&](Connection& c) { execute(c, kPinUuid, {uuid, device_id}); });
}

void UpgradeRepository::record_connection(const std::string& connection_id, bool working, const std::string& reason) {
  if (connection_id.empty()) {
    return;
  }
  with_connection(connection_, [&](Connection& c) {
    execute(c, kRecordConnection, {working ? "1" : "0", reason, connection_id});
  });
}

bool UpgradeRepository::finish(const std::string& operation_id, Outcome outcome, const std::string& os) {
  return with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    const auto batch = lock_batch_of(c, operation_id);
    const std::string name = outcome_name(outcome);
    const std::string seq = seq_of(batch);
    const bool ended = execute(c, kFinish, {name, name, name, seq, seq, operation_id}) > 0;
    if (ended && outcome == Outcome::kSuccess) {
      execute(c, kInstalled, {operation_id});
      execute(c, kDeviceOs, {os, operation_id, os});
    }
    if (ended && batch) {
      store_counts(c, *batch);
      wake_dispatcher(c, batch->id);
    }
    transaction.commit();
    return ended;
  });
}

bool UpgradeRepository::postpone(const std::string& operation_id, std::chrono::seconds delay) {
  return with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    const auto batch = lock_batch_of(c, operation_id);
    const bool postponed =
        batch && execute(c, kPostpone, {std::to_string(delay.count()), seq_of(batch), operation_id}) > 0;
    if (postponed) {
      store_counts(c, *batch);
    }
    transaction.commit();
    return postponed;
  });
}

std::string UpgradeRepository::start(const std::string& device_id, const std::string& organization_id,
                                     const std::string& image_id, const std::string& options_json,
                                     const domain::upgrade::StartLimits& limits) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    std::string id = random_uuid();
    Transaction transaction(c);
    // At the organization's limit the operation waits as 'queued'; its job admits it later.
    const bool now = free_upgrade_slots(c, organization_id, limits.max_parallel_per_organization) > 0;
    const std::string status = now ? "in-progress" : "queued";
    const std::string log = now ? "" : waiting_line(limits.max_parallel_per_organization) + "\n";
    try {
      execute(c, kInsert, {id, device_id, organization_id, image_id, options_json, log, status, status});
    } catch (const sql::SQLException& error) {
      if (is_duplicate_key(error)) {
        throw Error(Code::kAlreadyExists, "another upgrade operation is in progress on this device");
      }
      throw;
    }
    execute(c, kInsertJob, {id, std::to_string(limits.max_attempts), id});
    transaction.commit();
    return id;
  });
}

bool UpgradeRepository::admit(const std::string& operation_id, int max_parallel_per_organization) {
  return rerun_on_lock_conflict(connection_, [&](Connection& c) {
    Transaction transaction(c);
    auto organization = c.prepare(kOrganizationOf);
    organization->setString(1, operation_id);
    std::unique_ptr<sql::ResultSet> row(organization->executeQuery());
    const std::string organization_id = row->next() ? std::string(row->getString(1)) : "";
    const bool admitted = free_upgrade_slots(c, organization_id, max_parallel_per_organization) > 0 &&
                          execute(c, kAdmit, {"A slot is free: starting.", operation_id}) > 0;
    transaction.commit();
    return admitted;
  });
}

bool UpgradeRepository::enqueue_refresh(const std::string& device_id) {
  return with_connection(connection_, [&](Connection& c) {
    return execute(c, kEnqueueRefresh, {device_id, device_id}) > 0;
  });
}

bool UpgradeRepository::active(const std::string& device_id) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kActive);
    statement->setString(1, device_id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    return rows->next();
  });
}

domain::upgrade::CancelResult UpgradeRepository::cancel(const std::string& operation_id) {
  return with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    const auto batch = lock_batch_of(c, operation_id);
    const std::string seq = seq_of(batch);
    if (execute(c, kCancel, {seq, seq, operation_id}) > 0) {
      if (batch) {
        store_counts(c, *batch);
      }
      transaction.commit();
      return domain::upgrade::CancelResult::kCancelled;
    }
    auto statement = c.prepare(kState);
    statement->setString(1, operation_id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    if (!rows->next()) {
      return domain::upgrade::CancelResult::kNotFound;
    }
    return std::string(rows->getString(1)) == "in-progress" ? domain::upgrade::CancelResult::kReflashing
                                                            : domain::upgrade::CancelResult::kFinished;
  });
}

}  // namespace fwhub::db
