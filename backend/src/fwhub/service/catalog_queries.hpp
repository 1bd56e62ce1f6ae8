// Port: read-only catalog lookups the API's use cases need (db::CatalogRepository implements it).
#pragma once

#include <optional>
#include <string>

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
};

}  // namespace fwhub::service
