// Sign-in by password (throttled), sessions with CSRF tokens, API tokens, and turning a request's
// cookie or bearer token into a Principal.
#pragma once

#include <optional>
#include <string>

#include "fwhub/common/config.hpp"
#include "fwhub/domain/fleet/account_store.hpp"

namespace fwhub::service {

struct Session {
  std::string token;  // the cookie value; only its hash is stored
  std::string csrf_token;
  int lifetime_seconds = 0;
  domain::fleet::Principal principal;
};

struct IssuedToken {
  std::string id;
  std::string token;  // shown once
};

class AuthService {
 public:
  AuthService(domain::fleet::AccountStore& store, const FleetConfig& config) : store_(store), config_(config) {}

  // Throws Error kUnauthenticated ("invalid username or password") or kResourceExhausted (too many
  // failures for this user or address; the message says for how long).
  Session login(const std::string& username, const std::string& password, const std::string& remote_addr);
  void logout(const std::string& session_token);

  // nullopt when the token is unknown, expired or revoked.
  std::optional<domain::fleet::Principal> from_session(const std::string& session_token);
  std::optional<domain::fleet::Principal> from_bearer(const std::string& bearer_token);

  IssuedToken create_token(const std::string& user_id, const std::string& name);
  // Revokes a token of `user_id` (any user's when empty); false when there is none.
  bool revoke_token(const std::string& id, const std::string& user_id) { return store_.revoke_token(id, user_id); }

 private:
  domain::fleet::AccountStore& store_;
  const FleetConfig& config_;
};

// The stored form of a session or API token (SHA-256 hex: tokens carry 256 random bits).
std::string token_hash(const std::string& token);

}  // namespace fwhub::service
