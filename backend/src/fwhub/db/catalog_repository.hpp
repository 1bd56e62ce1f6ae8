// Catalog tables: domain::catalog::CatalogStore on MariaDB, plus the lookups the API needs.
#pragma once

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/catalog/ports.hpp"
#include "fwhub/service/catalog_queries.hpp"

namespace fwhub::db {

class CatalogRepository final : public domain::catalog::CatalogStore, public service::CatalogQueries {
 public:
  explicit CatalogRepository(Connection& connection) : connection_(connection) {}

  std::optional<domain::catalog::Validators> validators(const std::string& url) override;
  void save_validators(const std::string& url, const domain::catalog::Validators& validators) override;
  std::optional<std::string> document(const std::string& name) override;
  void save_document(const std::string& name, const std::string& body) override;
  void save_version(const domain::catalog::VersionRecord& version) override;
  void remove_versions_except(const std::vector<std::string>& keep) override;
  std::vector<domain::catalog::VersionRecord> versions() override;
  std::vector<domain::catalog::TargetSummary> targets(const std::string& version) override;
  void save_target(const domain::catalog::TargetRecord& target) override;
  void remove_targets_except(const std::string& version, const std::vector<std::string>& keep) override;
  std::optional<std::string> profiles_json(const std::string& version, const std::string& target) override;
  void save_packages(const std::string& version, const std::string& scope,
                     const std::vector<domain::catalog::PackageEntry>& packages) override;
  std::map<std::string, std::string> packages(const std::string& version, const std::string& scope_prefix) override;
  long generation() override;
  void bump_generation() override;

  bool has_version(const std::string& version) override;
  std::optional<std::string> version_code(const std::string& version, const std::string& target) override;
  std::optional<std::string> find_profile(const std::string& version, const std::string& target,
                                          const std::string& name) override;
  bool only_generic_profile(const std::string& version, const std::string& target) override;
  std::set<std::string> known_packages(const std::string& version, const std::string& target,
                                       const std::vector<std::string>& names) override;
  std::vector<std::string> profiles_of_target(const std::string& target) override;
  void request_refresh() override;

 private:
  Connection& connection_;
};

}  // namespace fwhub::db
