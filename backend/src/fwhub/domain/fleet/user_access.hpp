// Who may see and change which user account: the rule of openwisp's user admin, as a pure function.
#pragma once

#include "fwhub/domain/fleet/principal.hpp"

namespace fwhub::domain::fleet {

enum class UserAccess {
  kHidden,    // the account does not exist for the caller (404)
  kReadOnly,  // visible (it shares an organization with the caller) but not changeable (403)
  kManage,    // the caller may change it
};

// Superusers manage everyone. Everyone manages their own account (within the limits the service
// puts on it: no self-deactivation, no own roles). Another account is visible to members of any of
// its organizations; an organization administrator manages it only when it is not a superuser and
// every one of its organizations is one the caller administers.
UserAccess user_access(const Principal& who, const Principal& target);

}  // namespace fwhub::domain::fleet
