// SQL of accounts, as named constants, and its execution.
#include "fwhub/db/account_repository.hpp"

#include <cppconn/exception.h>

#include "fwhub/common/random.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::db {
namespace {

using domain::fleet::ValidationError;

constexpr const char* kUserCredentials = "SELECT id, password_hash, is_active FROM users WHERE username = ?";
constexpr const char* kUser = "SELECT username, is_superuser, is_active FROM users WHERE id = ?";
constexpr const char* kRoles = "SELECT organization_id, role FROM memberships WHERE user_id = ?";
constexpr const char* kInsertUser =
    "INSERT INTO users (id, username, email, password_hash, is_superuser) VALUES (?, ?, ?, ?, ?)";
constexpr const char* kUpdateUser =
    "UPDATE users SET email = IFNULL(?, email), password_hash = IFNULL(?, password_hash),"
    " is_active = IFNULL(?, is_active) WHERE id = ?";
constexpr const char* kDeleteUser = "DELETE FROM users WHERE id = ?";
constexpr const char* kDeleteSessionsOf = "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?";
constexpr const char* kRevokeTokensOf =
    "UPDATE api_tokens SET revoked_at = NOW(3) WHERE user_id = ? AND revoked_at IS NULL AND token_hash <> ?";
constexpr const char* kSetRole =
    "INSERT INTO memberships (user_id, organization_id, role) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE role = "
    "VALUES(role)";
constexpr const char* kRemoveRole = "DELETE FROM memberships WHERE user_id = ? AND organization_id = ?";
constexpr const char* kOrganizationId = "SELECT id FROM organizations WHERE slug = ? OR id = ?";
constexpr const char* kInsertOrganization = "INSERT INTO organizations (id, name, slug) VALUES (?, ?, ?)";
constexpr const char* kUpdateOrganization = "UPDATE organizations SET name = IFNULL(?, name) WHERE id = ?";
constexpr const char* kDeleteOrganization = "DELETE FROM organizations WHERE id = ?";
// Categories (with their builds and images) and credentials have no cascading foreign key.
constexpr const char* kDeleteCategoriesOf = "DELETE FROM categories WHERE organization_id = ?";
constexpr const char* kDeleteCredentialsOf = "DELETE FROM credentials WHERE organization_id = ?";
constexpr const char* kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at) VALUES (?, ?, ?, NOW(3) + INTERVAL ? SECOND)";
constexpr const char* kSession =
    "SELECT user_id, csrf_token FROM sessions WHERE token_hash = ? AND expires_at > NOW(3)";
constexpr const char* kDeleteSession = "DELETE FROM sessions WHERE token_hash = ? OR expires_at <= NOW(3)";
constexpr const char* kInsertToken = "INSERT INTO api_tokens (id, user_id, name, token_hash) VALUES (?, ?, ?, ?)";
constexpr const char* kTokenUser = "SELECT user_id FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL";
constexpr const char* kTokenUsed =
    "UPDATE api_tokens SET last_used_at = NOW(3) WHERE token_hash = ?"
    " AND (last_used_at IS NULL OR last_used_at < NOW(3) - INTERVAL 60 SECOND)";
constexpr const char* kRevokeToken =
    "UPDATE api_tokens SET revoked_at = NOW(3) WHERE id = ? AND revoked_at IS NULL AND (? = '' OR user_id = ?)";
constexpr const char* kBlocked =
    "SELECT GREATEST(0, CEIL(TIMESTAMPDIFF(MICROSECOND, NOW(3), blocked_until) / 1000000))"
    " FROM login_failures WHERE subject = ? AND blocked_until > NOW(3)";
// A new window starts when the last one is older than window_seconds; reaching max blocks.
constexpr const char* kRecordFailure =
    "INSERT INTO login_failures (subject, failures, window_start, blocked_until) VALUES (?, 1, NOW(3),"
    " IF(1 >= ?, NOW(3) + INTERVAL ? SECOND, NULL))"
    " ON DUPLICATE KEY UPDATE"
    " failures = IF(window_start < NOW(3) - INTERVAL ? SECOND, 1, failures + 1),"
    " window_start = IF(window_start < NOW(3) - INTERVAL ? SECOND, NOW(3), window_start),"
    " blocked_until = IF(failures >= ?, NOW(3) + INTERVAL ? SECOND, blocked_until)";
constexpr const char* kClearFailures = "DELETE FROM login_failures WHERE subject = ?";

std::unique_ptr<sql::ResultSet> query(sql::PreparedStatement& statement) {
  return std::unique_ptr<sql::ResultSet>(statement.executeQuery());
}

void set_optional(sql::PreparedStatement& statement, unsigned index, const std::optional<std::string>& value) {
  if (value) {
    statement.setString(index, *value);
  } else {
    statement.setNull(index, 0);
  }
}

}  // namespace

bool is_duplicate_key(const sql::SQLException& error) {
  return error.getErrorCode() == 1062;
}

std::optional<domain::fleet::UserCredentials> AccountRepository::user_credentials(const std::string& username) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<domain::fleet::UserCredentials> {
    auto statement = c.prepare(kUserCredentials);
    statement->setString(1, username);
    auto rows = query(*statement);
    if (!rows->next()) {
      return std::nullopt;
    }
    return domain::fleet::UserCredentials{rows->getString(1), rows->getString(2), rows->getBoolean(3)};
  });
}

std::optional<domain::fleet::UserAccount> AccountRepository::account(const std::string& user_id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<domain::fleet::UserAccount> {
    auto statement = c.prepare(kUser);
    statement->setString(1, user_id);
    auto rows = query(*statement);
    if (!rows->next()) {
      return std::nullopt;
    }
    domain::fleet::UserAccount user;
    user.principal.user_id = user_id;
    user.principal.username = rows->getString(1);
    user.principal.superuser = rows->getBoolean(2);
    user.active = rows->getBoolean(3);
    auto roles = c.prepare(kRoles);
    roles->setString(1, user_id);
    auto role_rows = query(*roles);
    while (role_rows->next()) {
      user.principal.roles[role_rows->getString(1)] =
          domain::fleet::parse_role(role_rows->getString(2)).value_or(domain::fleet::Role::kNone);
    }
    return user;
  });
}

std::optional<domain::fleet::Principal> AccountRepository::principal(const std::string& user_id) {
  auto found = account(user_id);
  if (!found || !found->active) {
    return std::nullopt;
  }
  return std::move(found->principal);
}

std::string AccountRepository::create_user(const domain::fleet::NewUser& user) {
  return with_connection(connection_, [&](Connection& c) {
    std::string id = random_uuid();
    auto statement = c.prepare(kInsertUser);
    statement->setString(1, id);
    statement->setString(2, user.username);
    statement->setString(3, user.email);
    statement->setString(4, user.password_hash);
    statement->setBoolean(5, user.superuser);
    try {
      statement->executeUpdate();
    } catch (const sql::SQLException& error) {
      if (is_duplicate_key(error)) {
        throw ValidationError("username", "A user with that username already exists.");
      }
      throw;
    }
    return id;
  });
}

void AccountRepository::update_user(const std::string& id, const std::optional<std::string>& email,
                                    const std::optional<std::string>& password_hash, std::optional<bool> active) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kUpdateUser);
    set_optional(*statement, 1, email);
    set_optional(*statement, 2, password_hash);
    set_optional(*statement, 3, active ? std::optional<std::string>(*active ? "1" : "0") : std::nullopt);
    statement->setString(4, id);
    statement->executeUpdate();
  });
}

bool AccountRepository::delete_user(const std::string& id) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kDeleteUser);
    statement->setString(1, id);
    return statement->executeUpdate() > 0;
  });
}

void AccountRepository::revoke_credentials(const std::string& user_id, const std::string& keep) {
  with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    for (const char* sql : {kDeleteSessionsOf, kRevokeTokensOf}) {
      auto statement = c.prepare(sql);
      statement->setString(1, user_id);
      statement->setString(2, keep);
      statement->executeUpdate();
    }
    transaction.commit();
  });
}

void AccountRepository::set_role(const std::string& user_id, const std::string& organization_id,
                                 domain::fleet::Role role) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(role == domain::fleet::Role::kNone ? kRemoveRole : kSetRole);
    statement->setString(1, user_id);
    statement->setString(2, organization_id);
    if (role != domain::fleet::Role::kNone) {
      statement->setString(3, domain::fleet::role_name(role));
    }
    statement->executeUpdate();
  });
}

std::optional<std::string> AccountRepository::organization_id(const std::string& slug_or_id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<std::string> {
    auto statement = c.prepare(kOrganizationId);
    statement->setString(1, slug_or_id);
    statement->setString(2, slug_or_id);
    auto rows = query(*statement);
    return rows->next() ? std::optional<std::string>(rows->getString(1)) : std::nullopt;
  });
}

std::string AccountRepository::create_organization(const domain::fleet::NewOrganization& organization) {
  return with_connection(connection_, [&](Connection& c) {
    std::string id = random_uuid();
    auto statement = c.prepare(kInsertOrganization);
    statement->setString(1, id);
    statement->setString(2, organization.name);
    statement->setString(3, organization.slug);
    try {
      statement->executeUpdate();
    } catch (const sql::SQLException& error) {
      if (is_duplicate_key(error)) {
        const bool slug = std::string(error.what()).find("organizations_slug") != std::string::npos;
        throw ValidationError(slug ? "slug" : "name", slug ? "An organization with this slug already exists."
                                                           : "An organization with this name already exists.");
      }
      throw;
    }
    return id;
  });
}

void AccountRepository::update_organization(const std::string& id, const std::optional<std::string>& name) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kUpdateOrganization);
    set_optional(*statement, 1, name);
    statement->setString(2, id);
    try {
      statement->executeUpdate();
    } catch (const sql::SQLException& error) {
      if (is_duplicate_key(error)) {
        throw ValidationError("name", "An organization with this name already exists.");
      }
      throw;
    }
  });
}

bool AccountRepository::delete_organization(const std::string& id) {
  return with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    for (const char* sql : {kDeleteCategoriesOf, kDeleteCredentialsOf}) {
      auto statement = c.prepare(sql);
      statement->setString(1, id);
      statement->executeUpdate();
    }
    auto statement = c.prepare(kDeleteOrganization);
    statement->setString(1, id);
    const bool deleted = statement->executeUpdate() > 0;
    transaction.commit();
    return deleted;
  });
}

void AccountRepository::create_session(const std::string& token_hash, const std::string& user_id,
                                       const std::string& csrf, int lifetime_seconds) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kInsertSession);
    statement->setString(1, token_hash);
    statement->setString(2, user_id);
    statement->setString(3, csrf);
    statement->setInt(4, lifetime_seconds);
    statement->executeUpdate();
  });
}

std::optional<std::pair<std::string, std::string>> AccountRepository::session(const std::string& token_hash) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<std::pair<std::string, std::string>> {
    auto statement = c.prepare(kSession);
    statement->setString(1, token_hash);
    auto rows = query(*statement);
    if (!rows->next()) {
      return std::nullopt;
    }
    return std::make_pair(std::string(rows->getString(1)), std::string(rows->getString(2)));
  });
}

void AccountRepository::delete_session(const std::string& token_hash) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kDeleteSession);
    statement->setString(1, token_hash);
    statement->executeUpdate();
  });
}

std::string AccountRepository::create_token(const std::string& user_id, const std::string& name,
                                            const std::string& token_hash) {
  return with_connection(connection_, [&](Connection& c) {
    std::string id = random_uuid();
    auto statement = c.prepare(kInsertToken);
    statement->setString(1, id);
    statement->setString(2, user_id);
    statement->setString(3, name);
    statement->setString(4, token_hash);
    statement->executeUpdate();
    return id;
  });
}

std::optional<std::string> AccountRepository::token_user(const std::string& token_hash) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<std::string> {
    auto statement = c.prepare(kTokenUser);
    statement->setString(1, token_hash);
    auto rows = query(*statement);
    if (!rows->next()) {
      return std::nullopt;
    }
    std::string user_id = rows->getString(1);
    auto used = c.prepare(kTokenUsed);
    used->setString(1, token_hash);
    used->executeUpdate();
    return user_id;
  });
}

bool AccountRepository::revoke_token(const std::string& id, const std::string& user_id) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kRevokeToken);
    statement->setString(1, id);
    statement->setString(2, user_id);
    statement->setString(3, user_id);
    return statement->executeUpdate() > 0;
  });
}

int AccountRepository::blocked_seconds(const std::string& subject) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kBlocked);
    statement->setString(1, subject);
    auto rows = query(*statement);
    return rows->next() ? std::max(1, rows->getInt(1)) : 0;
  });
}

void AccountRepository::record_failure(const std::string& subject, int window_seconds, int max_failures,
                                       int block_seconds) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kRecordFailure);
    statement->setString(1, subject);
    statement->setInt(2, max_failures);
    statement->setInt(3, block_seconds);
    statement->setInt(4, window_seconds);
    statement->setInt(5, window_seconds);
    statement->setInt(6, max_failures);
    statement->setInt(7, block_seconds);
    statement->executeUpdate();
  });
}

void AccountRepository::clear_failures(const std::string& subject) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kClearFailures);
    statement->setString(1, subject);
    statement->executeUpdate();
  });
}

}  // namespace fwhub::db
