// The user-account access rule (see user_access.hpp).
#include "fwhub/domain/fleet/user_access.hpp"

namespace fwhub::domain::fleet {

UserAccess user_access(const Principal& who, const Principal& target) {
  if (who.superuser || who.user_id == target.user_id) {
    return UserAccess::kManage;
  }
  bool shares = false;
  bool administers_all = !target.roles.empty();
  for (const auto& [organization, role] : target.roles) {
    const Role mine = who.role_in(organization);
    shares = shares || mine != Role::kNone;
    administers_all = administers_all && mine == Role::kAdmin;
  }
  if (!shares) {
    return UserAccess::kHidden;
  }
  return !target.superuser && administers_all ? UserAccess::kManage : UserAccess::kReadOnly;
}

}  // namespace fwhub::domain::fleet
