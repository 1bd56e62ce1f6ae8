// An in-memory CatalogQueries for handler unit tests.
#pragma once

#include <map>
#include <set>
#include <utility>

#include "fwhub/service/catalog_queries.hpp"

namespace fwhub::testing {

class FakeCatalog final : public service::CatalogQueries {
 public:
  bool has_version(const std::string& version) override {
    for (const auto& [key, code] : codes) {
      if (key.first == version) {
        return true;
      }
    }
    return false;
  }
  std::optional<std::string> version_code(const std::string& version, const std::string& target) override {
    const auto it = codes.find({version, target});
    return it == codes.end() ? std::nullopt : std::optional(it->second);
  }
  std::optional<std::string> find_profile(const std::string& version, const std::string& target,
                                          const std::string& name) override {
    const auto it = boards.find({version, target + "|" + name});
    return it == boards.end() ? std::nullopt : std::optional(it->second);
  }

  bool only_generic_profile(const std::string& version, const std::string& target) override {
    return generic_targets.contains(version + " " + target);
  }
  std::set<std::string> known_packages(const std::string& /*version*/, const std::string& /*target*/,
                                       const std::vector<std::string>& names) override {
    std::set<std::string> out;
    for (const auto& name : names) {
      if (packages.contains(name)) {
        out.insert(name);
      }
    }
    return out;
  }
  std::vector<std::string> profiles_of_target(const std::string& /*target*/) override { return {}; }
  void request_refresh() override { ++refreshes; }

  std::set<std::string> generic_targets;  // "version target"
  std::set<std::string> packages;
  int refreshes = 0;
  std::map<std::pair<std::string, std::string>, std::string> codes;   // (version, target) -> code
  std::map<std::pair<std::string, std::string>, std::string> boards;  // (version, target|name) -> id
};

}  // namespace fwhub::testing
