// Password sign-in with per-user and per-address throttling, and token lookups.
#include "fwhub/service/auth_service.hpp"

#include "fwhub/common/password_hash.hpp"
#include "fwhub/common/random.hpp"
#include "fwhub/common/sha256.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::service {

namespace {

constexpr int kAddressFailureFactor = 10;

}  // namespace

std::string token_hash(const std::string& token) {
  return sha256_hex(token);
}

Session AuthService::login(const std::string& username, const std::string& password, const std::string& remote_addr) {
  const std::string user_subject = "user:" + username;
  const std::string address_subject = "ip:" + remote_addr;
  const int wait = std::max(store_.blocked_seconds(user_subject), store_.blocked_seconds(address_subject));
  if (wait > 0) {
    throw Error(Code::kResourceExhausted,
                "too many failed sign-ins; try again in " + std::to_string(wait) + " seconds");
  }
  const auto user = store_.user_credentials(username);
  // A missing user costs the same hash verification as a wrong password.
  const bool verified = verify_password(user ? user->password_hash : decoy_password_hash(), password);
  std::optional<domain::fleet::Principal> principal;
  if (verified && user && user->active) {
    principal = store_.principal(user->id);
  }
  if (!principal) {
    store_.record_failure(user_subject, config_.login_window_seconds, config_.login_max_failures,
                          config_.login_block_seconds);
    // An address may serve many people (NAT, an office): it is blocked only after ten times as many.
    store_.record_failure(address_subject, config_.login_window_seconds,
                          config_.login_max_failures * kAddressFailureFactor, config_.login_block_seconds);
    throw Error(Code::kUnauthenticated, "invalid username or password");
  }
  store_.clear_failures(user_subject);
  Session session;
  session.token = random_hex(32);
  session.csrf_token = random_hex(32);
  session.lifetime_seconds = config_.session_hours * 3600;
  store_.create_session(token_hash(session.token), user->id, session.csrf_token, session.lifetime_seconds);
  session.principal = *principal;
  session.principal.via_session = true;
  session.principal.csrf_token = session.csrf_token;
  session.principal.credential_hash = token_hash(session.token);
  return session;
}

void AuthService::logout(const std::string& session_token) {
  store_.delete_session(token_hash(session_token));
}

std::optional<domain::fleet::Principal> AuthService::from_session(const std::string& session_token) {
  const std::string hash = token_hash(session_token);
  const auto session = store_.session(hash);
  if (!session) {
    return std::nullopt;
  }
  auto principal = store_.principal(session->first);
  if (principal) {
    principal->via_session = true;
    principal->csrf_token = session->second;
    principal->credential_hash = hash;
  }
  return principal;
}

std::optional<domain::fleet::Principal> AuthService::from_bearer(const std::string& bearer_token) {
  const std::string hash = token_hash(bearer_token);
  const auto user_id = store_.token_user(hash);
  auto principal = user_id ? store_.principal(*user_id) : std::nullopt;
  if (principal) {
    principal->credential_hash = hash;
  }
  return principal;
}

IssuedToken AuthService::create_token(const std::string& user_id, const std::string& name) {
  IssuedToken issued;
  issued.token = "fwh_" + random_hex(32);
  issued.id = store_.create_token(user_id, name, token_hash(issued.token));
  return issued;
}

}  // namespace fwhub::service
