// The builds table: domain::build::BuildStore on MariaDB, plus the worker's progress updates.
#pragma once

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/build/build_record.hpp"
#include "fwhub/domain/build/stats_buffer.hpp"

namespace fwhub::db {

class BuildRepository final : public domain::build::BuildStore {
 public:
  // With a buffer, count() only gathers statistics there and flush() writes them in batches (the
  // API); without, each count is written at once (the scheduler).
  explicit BuildRepository(Connection& connection, domain::build::StatsBuffer* buffer = nullptr)
      : connection_(connection), buffer_(buffer) {}

  std::optional<domain::build::BuildRecord> find(const std::string& request_hash) override;
  int pending() override;
  bool create(const domain::build::NewBuild& build) override;
  void count(domain::build::BuildEvent event, const domain::build::NewBuild& build, double seconds) override;

  void count_packages(const std::string& branch, const std::vector<std::string>& packages) override;
  std::vector<domain::build::DailyCount> events_per_day(int days) override;
  std::vector<domain::build::DailyCount> requests_per_version(int days) override;
  std::vector<domain::build::PackageCount> top_packages(const std::string& branch, int limit) override;
  std::vector<domain::build::FailedBuild> recent_failures(int limit) override;

  // Writes what `buffer` gathered, once its interval has passed; on failure keeps it there.
  void flush(domain::build::StatsBuffer& buffer);

  // Worker side.
  void set_step(const std::string& request_hash, const std::string& step);
  void finish_done(const std::string& request_hash, const std::string& result_json, double seconds,
                   std::chrono::seconds ttl);
  void finish_failed(const std::string& request_hash, const std::string& detail, const std::string& stdout_text,
                     const std::string& stderr_text, double seconds, std::chrono::seconds ttl);
  // Deletes up to `limit` expired builds; returns their hashes (for their files).
  std::vector<std::string> delete_expired(int limit);

 private:
  void write_stats(const std::vector<domain::build::StatsRow>& rows);

  Connection& connection_;
  domain::build::StatsBuffer* buffer_;
};

}  // namespace fwhub::db
