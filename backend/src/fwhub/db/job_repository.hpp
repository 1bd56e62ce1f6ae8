// The jobs table: domain::JobStore on MariaDB, claims with SELECT ... FOR UPDATE SKIP LOCKED.
#pragma once

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/job.hpp"

namespace fwhub::db {

class JobRepository final : public domain::JobStore {
 public:
  explicit JobRepository(Connection& connection) : connection_(connection) {}

  std::optional<std::uint64_t> enqueue(const domain::NewJob& job) override;
  std::optional<domain::Job> claim(const std::string& owner, std::chrono::seconds lease,
                                   const std::vector<std::string>& kinds) override;
  int renew_leases(const std::string& owner, std::chrono::seconds lease) override;
  bool record_step(std::uint64_t id, const std::string& owner, const std::string& step,
                   const std::string& step_data) override;
  bool succeed(std::uint64_t id, const std::string& owner) override;
  bool fail(std::uint64_t id, const std::string& owner, const std::string& error) override;
  bool retry_later(std::uint64_t id, const std::string& owner, const std::string& error,
                   std::chrono::milliseconds delay) override;
  bool defer(std::uint64_t id, const std::string& owner, std::chrono::milliseconds delay) override;
  bool reschedule(std::uint64_t id, const std::string& owner, const std::string& error,
                  std::chrono::milliseconds delay) override;
  bool release(std::uint64_t id, const std::string& owner) override;
  // Makes the queued job holding `active_key` due now; false when there is none queued.
  bool bring_forward(const std::string& active_key);
  int delete_finished_older_than(std::chrono::hours age) override;

  // For tests and the admin tool.
  std::optional<domain::Job> find(std::uint64_t id);
  // The job holding `active_key`, and whether it is waiting for a future run_at.
  std::optional<std::pair<domain::Job, bool>> find_active(const std::string& active_key);

 private:
  Connection& connection_;
};

}  // namespace fwhub::db
