// The builds table: domain::build::BuildStore on MariaDB, plus the worker's progress updates.
#pragma once

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/build/build_record.hpp"

namespace fwhub::db {

class BuildRepository final : public domain::build::BuildStore {
 public:
  explicit BuildRepository(Connection& connection) : connection_(connection) {}

  std::optional<domain::build::BuildRecord> find(const std::string& request_hash) override;
  int pending() override;
  bool create(const domain::build::NewBuild& build) override;
  void count(domain::build::BuildEvent event, const domain::build::NewBuild& build, double seconds) override;

  // Worker side.
  void set_step(const std::string& request_hash, const std::string& step);
  void finish_done(const std::string& request_hash, const std::string& result_json, double seconds,
                   std::chrono::seconds ttl);
  void finish_failed(const std::string& request_hash, const std::string& detail, const std::string& stdout_text,
                     const std::string& stderr_text, double seconds, std::chrono::seconds ttl);
  // Deletes up to `limit` expired builds; returns their hashes (for their files).
  std::vector<std::string> delete_expired(int limit);

 private:
  Connection& connection_;
};

}  // namespace fwhub::db
