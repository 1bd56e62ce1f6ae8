// Runs the generic read side of fleet resources: scoped, filtered, ordered, paginated lists and
// single records, with prepared statements built only from the spec's own SQL fragments.
#pragma once

#include <optional>
#include <string>

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/fleet/resource.hpp"

namespace fwhub::db {

class ResourceReader final : public domain::fleet::ResourceQueries {
 public:
  explicit ResourceReader(Connection& connection) : connection_(connection) {}

  domain::fleet::Page list(const domain::fleet::ResourceSpec& spec, const domain::fleet::ListQuery& query) override;
  std::optional<domain::fleet::Record> get(const domain::fleet::ResourceSpec& spec, const std::string& id,
                                           const domain::fleet::ListQuery& scope) override;

 private:
  Connection& connection_;
};

}  // namespace fwhub::db
