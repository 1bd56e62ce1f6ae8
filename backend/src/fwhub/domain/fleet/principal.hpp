// Who is asking, and what the roles of the spec allow them on an organization's objects.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fwhub::domain::fleet {

enum class Role { kNone, kOperator, kAdmin };

// "admin" / "operator"; nullopt for anything else.
std::optional<Role> parse_role(const std::string& text);
const char* role_name(Role role);

struct Principal {
  std::string user_id;
  std::string username;
  bool superuser = false;
  std::map<std::string, Role> roles;  // organization id -> role
  bool via_session = false;           // signed in by cookie (needs the CSRF token to change state)
  std::string csrf_token;             // of the session
  std::string credential_hash;        // stored hash of the session or API token of this request

  [[nodiscard]] Role role_in(const std::string& organization_id) const;
  // Organizations whose objects this user may see (all of them for a superuser: empty + superuser).
  [[nodiscard]] std::vector<std::string> organization_ids() const;
};

// Objects of an organization: readable by its members; shared ones (no organization) by everyone.
bool can_read(const Principal& who, const std::optional<std::string>& organization_id);
// Changing them: administrators of the organization; shared ones: superusers only.
bool can_change(const Principal& who, const std::optional<std::string>& organization_id);
// Starting or cancelling upgrades on devices of the organization: administrators and operators.
bool can_operate(const Principal& who, const std::string& organization_id);

}  // namespace fwhub::domain::fleet
