// Upgrade slots of an organization, counted under its row lock (see organization_slots.hpp).
#include "fwhub/db/organization_slots.hpp"

#include <algorithm>
#include <limits>

#include "fwhub/db/statement.hpp"

namespace fwhub::db {
namespace {

constexpr const char* kLockOrganization = "SELECT COUNT(*) FROM organizations WHERE id = ? FOR UPDATE";
constexpr const char* kRunning =
    "SELECT COUNT(*) FROM upgrade_operations WHERE organization_id = ? AND status = 'in-progress'";

}  // namespace

int free_upgrade_slots(Connection& c, const std::string& organization_id, int limit) {
  if (limit <= 0 || organization_id.empty()) {
    return std::numeric_limits<int>::max();
  }
  query_int(c, kLockOrganization, {organization_id});
  const auto running = query_int(c, kRunning, {organization_id});
  return static_cast<int>(std::max<std::int64_t>(0, limit - running));
}

}  // namespace fwhub::db
