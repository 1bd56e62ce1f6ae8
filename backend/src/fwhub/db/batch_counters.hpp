// The one way an operation of a batch changes: inside the caller's transaction, lock the batch
// row first (so that concurrent changes of one batch queue up instead of deadlocking), mark the
// changed operations with the next change number, then recount the batch's operations and derive
// its status. Counters stay exact under any concurrency because they are recounted, not added up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/upgrade/batch_rules.hpp"

namespace fwhub::db {

struct LockedBatch {
  std::string id;
  std::string status;
  std::int64_t next_seq = 0;  // the change number for operations changed now
};

// Locks the batch row (SELECT … FOR UPDATE); nullopt when there is no such batch.
std::optional<LockedBatch> lock_batch(Connection& c, const std::string& batch_id);

// The batch of an operation, locked; nullopt for a single operation (or an unknown one).
std::optional<LockedBatch> lock_batch_of(Connection& c, const std::string& operation_id);

// Stores the change number alone (a progress change: the counts stay).
void store_change(Connection& c, const LockedBatch& batch);

// Brings the batch's dispatcher job forward: a slot may have become free.
void wake_dispatcher(Connection& c, const std::string& batch_id);

// The batch's operations by status (a locking read: current, not a snapshot).
domain::upgrade::BatchCounts count_operations(Connection& c, const std::string& batch_id);

// Recounts, stores counts, the derived status (from `status`, which the caller may have changed)
// and the change number. Returns the counts.
domain::upgrade::BatchCounts store_counts(Connection& c, const LockedBatch& batch);

}  // namespace fwhub::db
