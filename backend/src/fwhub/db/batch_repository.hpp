// Mass upgrades in MariaDB: set-based selection and creation (no per-device round trips), the
// operator's cancel/pause/resume and the dispatcher's step, each one transaction with the batch
// row locked first (batch_counters.hpp).
#pragma once

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/upgrade/batch_store.hpp"

namespace fwhub::db {

class BatchRepository final : public domain::upgrade::BatchStore {
 public:
  // dispatch_interval: how often an open batch is looked at when nothing wakes it earlier.
  BatchRepository(Connection& connection, std::chrono::milliseconds dispatch_interval)
      : connection_(connection), interval_(dispatch_interval) {}

  std::optional<std::string> build_category(const std::string& build_id) override;
  domain::upgrade::DryRun dry_run(const domain::upgrade::BatchSelection& selection) override;
  std::optional<std::string> create(const domain::upgrade::NewBatch& batch) override;
  domain::upgrade::ActionResult act(const std::string& batch_id, domain::upgrade::BatchAction action) override;
  std::optional<std::chrono::milliseconds> dispatch(const std::string& batch_id,
                                                    const domain::upgrade::DispatchLimits& limits) override;

 private:
  Connection& connection_;
  std::chrono::milliseconds interval_;
};

}  // namespace fwhub::db
