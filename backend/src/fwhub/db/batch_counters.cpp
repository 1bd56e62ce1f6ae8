// SQL of the batch row lock and recount, as named constants.
#include "fwhub/db/batch_counters.hpp"

namespace fwhub::db {
namespace {

constexpr const char* kLock = "SELECT status, change_seq FROM batch_upgrade_operations WHERE id = ? FOR UPDATE";
constexpr const char* kCount =
    "SELECT status, COUNT(*) FROM upgrade_operations WHERE batch_id = ? GROUP BY status LOCK IN SHARE MODE";
constexpr const char* kStore =
    "UPDATE batch_upgrade_operations SET total = ?, n_queued = ?, n_pending = ?, n_in_progress = ?, n_success = ?,"
    " n_failed = ?, n_aborted = ?, n_cancelled = ?, status = ?, change_seq = ? WHERE id = ?";
constexpr const char* kBatchOf = "SELECT batch_id FROM upgrade_operations WHERE id = ? AND batch_id IS NOT NULL";
constexpr const char* kStoreChange = "UPDATE batch_upgrade_operations SET change_seq = ? WHERE id = ?";
constexpr const char* kWake = "UPDATE jobs SET run_at = NOW(3) WHERE active_key = ? AND state = 'queued'";

}  // namespace

std::optional<LockedBatch> lock_batch_of(Connection& c, const std::string& operation_id) {
  auto statement = c.prepare(kBatchOf);
  statement->setString(1, operation_id);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  if (!rows->next()) {
    return std::nullopt;
  }
  return lock_batch(c, rows->getString(1));
}

void store_change(Connection& c, const LockedBatch& batch) {
  auto statement = c.prepare(kStoreChange);
  statement->setInt64(1, batch.next_seq);
  statement->setString(2, batch.id);
  statement->executeUpdate();
}

void wake_dispatcher(Connection& c, const std::string& batch_id) {
  auto statement = c.prepare(kWake);
  statement->setString(1, "batch:" + batch_id);
  statement->executeUpdate();
}

std::optional<LockedBatch> lock_batch(Connection& c, const std::string& batch_id) {
  auto statement = c.prepare(kLock);
  statement->setString(1, batch_id);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  if (!rows->next()) {
    return std::nullopt;
  }
  return LockedBatch{batch_id, rows->getString(1), rows->getInt64(2) + 1};
}

domain::upgrade::BatchCounts count_operations(Connection& c, const std::string& batch_id) {
  auto statement = c.prepare(kCount);
  statement->setString(1, batch_id);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  domain::upgrade::BatchCounts counts;
  while (rows->next()) {
    counts.add(rows->getString(1), rows->getInt(2));
  }
  return counts;
}

domain::upgrade::BatchCounts store_counts(Connection& c, const LockedBatch& batch) {
  const auto counts = count_operations(c, batch.id);
  auto statement = c.prepare(kStore);
  const int values[] = {counts.total(), counts.queued, counts.pending, counts.in_progress,
                        counts.success, counts.failed, counts.aborted, counts.cancelled};
  unsigned index = 1;
  for (const int value : values) {
    statement->setInt(index++, value);
  }
  statement->setString(index++, domain::upgrade::batch_status(batch.status, counts));
  statement->setInt64(index++, batch.next_seq);
  statement->setString(index, batch.id);
  statement->executeUpdate();
  return counts;
}

}  // namespace fwhub::db
