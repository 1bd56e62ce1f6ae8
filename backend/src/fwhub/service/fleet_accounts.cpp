// Fleet use cases of accounts: organizations and users, under the user-access rule of
// domain/fleet/user_access.hpp (openwisp's: only superusers change superusers; an organization
// administrator changes a user only when it administers every organization of that user).
#include <regex>

#include "fwhub/common/password_hash.hpp"
#include "fwhub/domain/fleet/user_access.hpp"
#include "fwhub/service/fleet_service.hpp"

namespace fwhub::service {
namespace {

using domain::fleet::Role;
using domain::fleet::UserAccess;

// Failed creations on a taken username an administrator may make per window before waiting: the
// answer tells whether a username exists, which must not become a cheap way to list them.
constexpr int kUsernameConflicts = 10;
constexpr int kUsernameConflictWindowSeconds = 900;

bool valid_slug(const std::string& slug) {
  static const std::regex kSlug("^[a-z0-9][a-z0-9_-]{0,63}$");
  return std::regex_match(slug, kSlug);
}

void check_password_length(domain::fleet::Input& input, const std::optional<std::string>& password) {
  if (password && password->size() < 8) {
    input.errors().add("password", "This password is too short. It must contain at least 8 characters.");
  }
}

}  // namespace

std::string FleetService::create_organization(const Principal& who, Input input) {
  require_superuser(who);
  const auto name = input.text("name", 128, true);
  const auto slug = input.text("slug", 64, true);
  if (slug && !valid_slug(*slug)) {
    input.errors().add("slug", "Enter a valid slug: lower-case letters, digits, '-' and '_'.");
  }
  input.check();
  return accounts_.create_organization({*name, *slug});
}

void FleetService::update_organization(const Principal& who, const std::string& id, Input input) {
  if (!visible_organization(who, id)) {
    throw Error(Code::kNotFound, "not found");
  }
  if (!domain::fleet::can_change(who, id)) {
    throw Error(Code::kPermissionDenied, "your role in this organization does not allow changes");
  }
  const auto name = input.text("name", 128, false);
  if (input.has("slug")) {
    input.errors().add("slug", "The slug of an organization cannot be changed.");
  }
  input.check();
  accounts_.update_organization(id, name);
}

void FleetService::delete_organization(const Principal& who, const std::string& id) {
  if (!who.superuser && !visible_organization(who, id)) {
    throw Error(Code::kNotFound, "not found");  // another organization's: it does not exist for them
  }
  require_superuser(who);
  if (!accounts_.organization_id(id)) {
    throw Error(Code::kNotFound, "not found");
  }
  const auto builds = store_.build_ids_of_organization(id);
  accounts_.delete_organization(id);
  for (const auto& build : builds) {
    files_.remove_build(build);
  }
}

std::string FleetService::create_user(const Principal& who, Input input) {
  const auto username = input.text("username", 150, true);
  const auto password = input.text("password", 1024, true);
  const auto email = input.text("email", 254, false, true);
  const auto superuser = input.boolean("is_superuser");
  const auto role_text = input.text("role", 16, false);
  std::optional<Role> role;
  if (role_text) {
    role = domain::fleet::parse_role(*role_text);
    if (!role) {
      input.errors().add("role", "\"" + *role_text + "\" is not a valid choice: admin, operator.");
    }
  }
  if (superuser.value_or(false) && !who.superuser) {
    input.errors().add("is_superuser", "Only superusers may create superusers.");
  }
  check_password_length(input, password);
  std::optional<std::string> organization;
  if (input.has("organization") || !who.superuser) {
    organization = organization_field(who, input, false);
  }
  input.check();
  const std::string conflicts = "username-conflicts:" + who.user_id;
  if (!who.superuser) {
    if (const int wait = accounts_.blocked_seconds(conflicts); wait > 0) {
      throw Error(Code::kResourceExhausted,
                  "too many users refused for a taken username; try again in " + std::to_string(wait) + " seconds");
    }
  }
  std::string id;
  try {
    id = accounts_.create_user({*username, email.value_or(""), hash_password(*password), superuser.value_or(false)});
  } catch (const domain::fleet::ValidationError&) {
    if (!who.superuser) {
      accounts_.record_failure(conflicts, kUsernameConflictWindowSeconds, kUsernameConflicts,
                               kUsernameConflictWindowSeconds);
    }
    throw;
  }
  if (organization) {
    accounts_.set_role(id, *organization, role.value_or(Role::kOperator));
  }
  return id;
}

domain::fleet::UserAccount FleetService::managed_user(const Principal& who, const std::string& id) {
  auto target = accounts_.account(id);
  const auto access = target ? domain::fleet::user_access(who, target->principal) : UserAccess::kHidden;
  if (access == UserAccess::kHidden) {
    throw Error(Code::kNotFound, "not found");
  }
  if (access == UserAccess::kReadOnly) {
    bool administers_one = false;
    for (const auto& [organization, role] : target->principal.roles) {
      administers_one = administers_one || who.role_in(organization) == Role::kAdmin;
    }
    throw Error(Code::kPermissionDenied, target->principal.superuser ? "only superusers may change a superuser"
                                         : administers_one
                                             ? "this user is also a member of organizations you do not administer"
                                             : "your role does not allow changing users");
  }
  return std::move(*target);
}

void FleetService::update_user(const Principal& who, const std::string& id, Input input) {
  const auto target = managed_user(who, id);
  const bool self = who.user_id == id;
  const auto email = input.text("email", 254, false, true);
  const auto password = input.text("password", 1024, false);
  const auto current_password = input.text("current_password", 1024, false);
  const auto active = input.boolean("is_active");
  check_password_length(input, password);
  if (password && !current_password) {
    input.errors().add("current_password", "Enter your current password to change a password.");
  }
  if (active && self) {
    input.errors().add("is_active", "You cannot deactivate yourself.");
  }
  // Roles: {"organization": slug, "role": "admin" | "operator" | "none"} by an administrator of it.
  const auto role_text = input.text("role", 16, false);
  std::optional<std::string> organization;
  if (role_text && self && !who.superuser) {
    input.errors().add("role", "You cannot change your own role.");
  } else if (role_text) {
    organization = organization_field(who, input, false);
    if (*role_text != "none" && !domain::fleet::parse_role(*role_text)) {
      input.errors().add("role", "\"" + *role_text + "\" is not a valid choice: admin, operator, none.");
    }
  }
  input.check();
  if (password) {
    const auto mine = accounts_.user_credentials(who.username);
    if (!mine || !verify_password(mine->password_hash, *current_password)) {
      throw domain::fleet::ValidationError("current_password", "Your current password was entered incorrectly.");
    }
  }
  accounts_.update_user(id, email, password ? std::optional<std::string>(hash_password(*password)) : std::nullopt,
                        active);
  // A new password or a deactivation ends every other way in: sessions and API tokens of the user
  // (the request's own session or token stays when the user changed their own password).
  if (password || (active && !*active)) {
    accounts_.revoke_credentials(id, self ? who.credential_hash : "");
  }
  if (role_text && organization) {
    accounts_.set_role(id, *organization, domain::fleet::parse_role(*role_text).value_or(Role::kNone));
  }
}

void FleetService::delete_user(const Principal& who, const std::string& id) {
  if (!who.superuser) {
    // Users who share no organization with the caller do not exist for the caller.
    const auto target = accounts_.account(id);
    if (!target || domain::fleet::user_access(who, target->principal) == UserAccess::kHidden) {
      throw Error(Code::kNotFound, "not found");
    }
  }
  require_superuser(who);
  if (who.user_id == id) {
    throw Error(Code::kFailedPrecondition, "you cannot delete yourself");
  }
  if (!accounts_.delete_user(id)) {
    throw Error(Code::kNotFound, "not found");
  }
}

}  // namespace fwhub::service
