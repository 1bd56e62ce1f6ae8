// Role checks of the spec: administrators change, operators read and operate, superusers do all.
#include "fwhub/domain/fleet/principal.hpp"

namespace fwhub::domain::fleet {

std::optional<Role> parse_role(const std::string& text) {
  if (text == "admin") {
    return Role::kAdmin;
  }
  if (text == "operator") {
    return Role::kOperator;
  }
  return std::nullopt;
}

const char* role_name(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kOperator:
      return "operator";
    case Role::kNone:
      break;
  }
  return "none";
}

Role Principal::role_in(const std::string& organization_id) const {
  const auto it = roles.find(organization_id);
  return it == roles.end() ? Role::kNone : it->second;
}

std::vector<std::string> Principal::organization_ids() const {
  std::vector<std::string> ids;
  ids.reserve(roles.size());
  for (const auto& [id, role] : roles) {
    ids.push_back(id);
  }
  return ids;
}

bool can_read(const Principal& who, const std::optional<std::string>& organization_id) {
  return who.superuser || !organization_id || who.role_in(*organization_id) != Role::kNone;
}

bool can_change(const Principal& who, const std::optional<std::string>& organization_id) {
  return who.superuser || (organization_id && who.role_in(*organization_id) == Role::kAdmin);
}

bool can_operate(const Principal& who, const std::string& organization_id) {
  return who.superuser || who.role_in(organization_id) != Role::kNone;
}

}  // namespace fwhub::domain::fleet
