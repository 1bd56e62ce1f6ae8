// An in-memory CatalogQueries for handler unit tests.
#pragma once

#include <map>
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

  std::map<std::pair<std::string, std::string>, std::string> codes;   // (version, target) -> code
  std::map<std::pair<std::string, std::string>, std::string> boards;  // (version, target|name) -> id
};

}  // namespace fwhub::testing
