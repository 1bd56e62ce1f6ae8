// Users, organizations, memberships, sessions, API tokens and sign-in throttling in MariaDB.
#pragma once

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/fleet/account_store.hpp"

namespace fwhub::db {

class AccountRepository final : public domain::fleet::AccountStore {
 public:
  explicit AccountRepository(Connection& connection) : connection_(connection) {}

  std::optional<domain::fleet::UserCredentials> user_credentials(const std::string& username) override;
  std::optional<domain::fleet::Principal> principal(const std::string& user_id) override;
  std::optional<domain::fleet::UserAccount> account(const std::string& user_id) override;
  std::string create_user(const domain::fleet::NewUser& user) override;
  void update_user(const std::string& id, const std::optional<std::string>& email,
                   const std::optional<std::string>& password_hash, std::optional<bool> active) override;
  bool delete_user(const std::string& id) override;
  void revoke_credentials(const std::string& user_id, const std::string& keep) override;
  void set_role(const std::string& user_id, const std::string& organization_id, domain::fleet::Role role) override;
  std::optional<std::string> organization_id(const std::string& slug_or_id) override;
  std::string create_organization(const domain::fleet::NewOrganization& organization) override;
  void update_organization(const std::string& id, const std::optional<std::string>& name) override;
  bool delete_organization(const std::string& id) override;
  void create_session(const std::string& token_hash, const std::string& user_id, const std::string& csrf,
                      int lifetime_seconds) override;
  std::optional<std::pair<std::string, std::string>> session(const std::string& token_hash) override;
  void delete_session(const std::string& token_hash) override;
  std::string create_token(const std::string& user_id, const std::string& name, const std::string& token_hash) override;
  std::optional<std::string> token_user(const std::string& token_hash) override;
  bool revoke_token(const std::string& id, const std::string& user_id) override;
  int blocked_seconds(const std::string& subject) override;
  void record_failure(const std::string& subject, int window_seconds, int max_failures, int block_seconds) override;
  void clear_failures(const std::string& subject) override;

 private:
  Connection& connection_;
};

// True when an SQL error is a duplicate key (1062).
bool is_duplicate_key(const sql::SQLException& error);

}  // namespace fwhub::db
