// Catalog sync: brings releases, targets, profiles and package indexes from the upstream
// download server into the store. Conditional requests keep an unchanged upstream cheap, the
// signed sha256sums of each target vouch for its profiles.json and package index, and a failing
// document leaves what was stored before untouched.
#pragma once

#include <string>
#include <vector>

#include "fwhub/common/config.hpp"
#include "fwhub/domain/catalog/ports.hpp"

namespace fwhub::service {

struct SyncReport {
  int versions = 0;
  int targets_updated = 0;
  int targets_unchanged = 0;
  int feeds_updated = 0;
  int feeds_unchanged = 0;
  std::vector<std::string> errors;  // one line per document that could not be taken
  [[nodiscard]] bool changed() const { return targets_updated + feeds_updated > 0; }
  [[nodiscard]] std::string summary() const;
};

class CatalogSync {
 public:
  CatalogSync(domain::catalog::Upstream& upstream, domain::catalog::CatalogStore& store, const CatalogConfig& config)
      : upstream_(upstream), store_(store), config_(config) {}

  // Throws Error(kUnavailable) when .versions.json cannot be had (nothing is changed then);
  // problems with single targets or feeds are reported in SyncReport::errors.
  SyncReport run();

 private:
  void sync_version(const std::string& version, SyncReport& report);
  // Returns true when the target's documents changed and were stored.
  bool sync_target(const std::string& version, const std::string& path, const std::string& target,
                   const BranchConfig& branch);
  void sync_feeds(const std::string& version, const std::string& path, const std::vector<std::string>& archs,
                  SyncReport& report);

  domain::catalog::Upstream& upstream_;
  domain::catalog::CatalogStore& store_;
  const CatalogConfig& config_;
};

}  // namespace fwhub::service
