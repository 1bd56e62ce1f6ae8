// Port: read-only catalog lookups the API's use cases need (db::CatalogRepository implements it).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace fwhub::service {

class CatalogQueries {
 public:
  virtual ~CatalogQueries() = default;
  virtual bool has_version(const std::string& version) = 0;
  // version_code ("r24012-d8dd03c46f") of a target ("ath79/generic") of a version.
  virtual std::optional<std::string> version_code(const std::string& version, const std::string& target) = 0;
  // The profile id a name (profile id or board name) stands for within a target.
  virtual std::optional<std::string> find_profile(const std::string& version, const std::string& target,
                                                  const std::string& name) = 0;
  // True for targets whose only profile is "generic" (x86/64, armsr/...).
  virtual bool only_generic_profile(const std::string& version, const std::string& target) = 0;
  // The subset of `names` that the target's own feed or its architecture's feeds provide.
  virtual std::set<std::string> known_packages(const std::string& version, const std::string& target,
                                               const std::vector<std::string>& names) = 0;
  // The stored profiles.json documents of a target ("ath79/generic"), newest version first.
  virtual std::vector<std::string> profiles_of_target(const std::string& target) = 0;
  // Asks for a catalog sync soon (a request named a version not known yet).
  virtual void request_refresh() = 0;
};

}  // namespace fwhub::service
