// Upgrade slots of an organization (upgrade.max_parallel_per_organization): its row is locked
// while its running operations are counted, so batch dispatchers and single upgrades starting at
// the same moment queue up on that lock and can never together pass the limit.
#pragma once

#include <string>

#include "fwhub/db/connection.hpp"

namespace fwhub::db {

// Inside the caller's transaction: locks the organization's row until it ends and returns how many
// more of its operations may run now (never negative; a large number when limit <= 0 or there is
// no organization).
int free_upgrade_slots(Connection& c, const std::string& organization_id, int limit);

}  // namespace fwhub::db
