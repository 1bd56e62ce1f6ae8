// Submitting and polling image builds: the ASU API's checks in upstream's order, deduplication
// by request hash, back-pressure, and statistics.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/domain/build/build_record.hpp"
#include "fwhub/domain/build/build_request.hpp"
#include "fwhub/service/catalog_queries.hpp"
#include "fwhub/service/done_build_cache.hpp"

namespace fwhub::service {

class BuildService {
 public:
  // `done_cache` (optional, shared by a process's threads) answers repeated requests for
  // finished builds.
  BuildService(CatalogQueries& catalog, domain::build::BuildStore& builds, const Config& config,
               DoneBuildCache* done_cache = nullptr)
      : catalog_(catalog), builds_(builds), config_(config), done_cache_(done_cache) {}

  // Throws Error: kInvalidArgument (400, upstream's texts), kUnprocessable (422, unknown
  // packages), kResourceExhausted (queue full: 529 in the API).
  domain::build::BuildRecord submit(const domain::build::BuildRequest& request);
  std::optional<domain::build::BuildRecord> find(const std::string& request_hash) { return builds_.find(request_hash); }
  int queue_length() { return builds_.pending(); }
  std::vector<domain::build::DailyCount> events_per_day(int days) { return builds_.events_per_day(days); }
  std::vector<domain::build::DailyCount> requests_per_version(int days) { return builds_.requests_per_version(days); }
  std::vector<domain::build::PackageCount> top_packages(const std::string& branch, int limit) {
    return builds_.top_packages(branch, limit);
  }
  std::vector<domain::build::FailedBuild> recent_failures(int limit) { return builds_.recent_failures(limit); }

 private:
  // The profile id the request's profile stands for, or throws the 400 "Unsupported profile".
  std::string map_profile(const domain::build::BuildRequest& request);
  void check_repositories(const domain::build::BuildRequest& request) const;

  CatalogQueries& catalog_;
  domain::build::BuildStore& builds_;
  const Config& config_;
  DoneBuildCache* done_cache_;
};

// True when `url` has the scheme and host of an allow-list entry and a path under its path.
bool repository_allowed(const std::string& url, const std::vector<std::string>& allow_list);

}  // namespace fwhub::service
