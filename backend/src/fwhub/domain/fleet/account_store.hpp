// What sign-in and account management need from storage (db::AccountRepository implements it).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fwhub/domain/fleet/principal.hpp"

namespace fwhub::domain::fleet {

struct UserCredentials {
  std::string id;
  std::string password_hash;
  bool active = false;
};

// A user account as managing it needs it: active or not, with its roles.
struct UserAccount {
  Principal principal;
  bool active = false;
};

struct NewUser {
  std::string username;
  std::string email;
  std::string password_hash;
  bool superuser = false;
};

struct NewOrganization {
  std::string name;
  std::string slug;
};

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  virtual std::optional<UserCredentials> user_credentials(const std::string& username) = 0;
  // The active user with their roles; nullopt for unknown or inactive users.
  virtual std::optional<Principal> principal(const std::string& user_id) = 0;
  // Any user, active or not; nullopt for unknown ids.
  virtual std::optional<UserAccount> account(const std::string& user_id) = 0;
  // Throws ValidationError on a taken username.
  virtual std::string create_user(const NewUser& user) = 0;
  virtual void update_user(const std::string& id, const std::optional<std::string>& email,
                           const std::optional<std::string>& password_hash, std::optional<bool> active) = 0;
  virtual bool delete_user(const std::string& id) = 0;
  // Deletes the user's sessions and revokes the user's API tokens, except the session or token
  // whose hash is `keep` (the one making the change; "" keeps none).
  virtual void revoke_credentials(const std::string& user_id, const std::string& keep) = 0;
  // Role kNone removes the membership.
  virtual void set_role(const std::string& user_id, const std::string& organization_id, Role role) = 0;
  [[nodiscard]] virtual std::optional<std::string> organization_id(const std::string& slug_or_id) = 0;
  // Throws ValidationError on a taken name or slug.
  virtual std::string create_organization(const NewOrganization& organization) = 0;
  virtual void update_organization(const std::string& id, const std::optional<std::string>& name) = 0;
  virtual bool delete_organization(const std::string& id) = 0;

  virtual void create_session(const std::string& token_hash, const std::string& user_id, const std::string& csrf,
                              int lifetime_seconds) = 0;
  // The user id and CSRF token of a session that has not expired.
  virtual std::optional<std::pair<std::string, std::string>> session(const std::string& token_hash) = 0;
  virtual void delete_session(const std::string& token_hash) = 0;

  virtual std::string create_token(const std::string& user_id, const std::string& name,
                                   const std::string& token_hash) = 0;
  // The user id of a token that was not revoked; records its use.
  virtual std::optional<std::string> token_user(const std::string& token_hash) = 0;
  // Revokes the token (of that user unless user_id is empty); false when there is none.
  virtual bool revoke_token(const std::string& id, const std::string& user_id) = 0;

  // Seconds a subject ("user:alice", "ip:10.0.0.1") must still wait; 0 when not blocked.
  virtual int blocked_seconds(const std::string& subject) = 0;
  // Counts a failure within the window; blocks the subject when it reaches max_failures.
  virtual void record_failure(const std::string& subject, int window_seconds, int max_failures, int block_seconds) = 0;
  virtual void clear_failures(const std::string& subject) = 0;
};

}  // namespace fwhub::domain::fleet
