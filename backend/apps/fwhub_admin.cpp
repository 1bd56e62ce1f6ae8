// fwhub-admin: operator commands (check-config, migrate, sync, enqueue, version).
#include <iostream>
#include <thread>

#include "fwhub/common/cli.hpp"
#include "fwhub/common/password_hash.hpp"
#include "fwhub/common/version.hpp"
#include "fwhub/db/account_repository.hpp"
#include "fwhub/db/job_repository.hpp"
#include "fwhub/db/migrator.hpp"
#include "fwhub/scheduler/catalog_sync_job.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"
#include "fwhub/service/auth_service.hpp"

namespace {

constexpr const char* kUsage =
    "usage: fwhub-admin [--config PATH] COMMAND\n"
    "  check-config            parse the configuration file and report the first error\n"
    "  migrate                 apply the pending migrations of paths.sql_dir\n"
    "  sync [--wait]           make the scheduler sync the catalog now (--wait: until it is done)\n"
    "  sync --here             sync and publish the catalog in this process, without a scheduler\n"
    "  enqueue KIND [PAYLOAD]  queue a job of KIND with a JSON payload (default {})\n"
    "  create-organization NAME SLUG\n"
    "                          add an organization\n"
    "  create-user USERNAME [--superuser] [--organization SLUG --role admin|operator]\n"
    "                          add a user; the password is read from FWHUB_PASSWORD or stdin\n"
    "  create-token USERNAME NAME\n"
    "                          issue an API token for USERNAME and print it (shown once)\n"
    "  version                 print the version\n";

// Waits until `done(job, waiting)` holds for the job holding `key`; false after the deadline.
template <typename Done>
bool wait_for(fwhub::db::JobRepository& jobs, const std::string& key, std::chrono::steady_clock::time_point deadline,
              Done&& done) {
  while (std::chrono::steady_clock::now() < deadline) {
    const auto job = jobs.find_active(key);
    if (job && done(job->first, job->second)) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

// Makes the periodic catalog_sync job due now (queuing it if there is none) and optionally waits
// for that run to end. A sync already running may have read upstream before the caller's change,
// so it is waited for and the job brought forward once more.
int sync_now(fwhub::db::Connection& connection, bool wait) {
  using namespace std::chrono_literals;
  fwhub::db::JobRepository jobs(connection);
  const std::string key = fwhub::scheduler::periodic_key(fwhub::scheduler::kCatalogSyncKind);
  const auto deadline = std::chrono::steady_clock::now() + 30min;
  const auto queued = [](const fwhub::domain::Job& job, bool) { return job.state == fwhub::domain::JobState::kQueued; };
  for (;;) {
    if (jobs.bring_forward(key)) {
      break;
    }
    fwhub::domain::NewJob job;
    job.kind = fwhub::scheduler::kCatalogSyncKind;
    job.max_attempts = 4;
    job.active_key = key;
    if (jobs.enqueue(job)) {
      break;
    }
    if (!wait_for(jobs, key, deadline, queued)) {
      std::cerr << "fwhub-admin: the running catalog sync did not end within 30 minutes\n";
      return 1;
    }
  }
  if (!wait) {
    std::cout << "catalog sync requested\n";
    return 0;
  }
  std::string error;
  const bool finished = wait_for(jobs, key, deadline, [&error](const fwhub::domain::Job& job, bool waiting) {
    error = job.last_error;
    return job.state == fwhub::domain::JobState::kQueued && waiting;
  });
  if (!finished) {
    std::cerr << "fwhub-admin: the catalog sync did not finish within 30 minutes (is a scheduler running?)\n";
    return 1;
  }
  if (!error.empty()) {
    std::cout << "catalog sync finished with errors: " << error << "\n";
    return 1;
  }
  std::cout << "catalog sync done\n";
  return 0;
}

// The first accounts: users, their organization and role, and API tokens for automation.
int create_user(fwhub::db::Connection& connection, const std::vector<std::string>& args) {
  fwhub::domain::fleet::NewUser user;
  user.username = args.at(1);
  std::string organization;
  std::string role = "admin";
  for (std::size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--superuser") {
      user.superuser = true;
    } else if (args[i] == "--organization" && i + 1 < args.size()) {
      organization = args[++i];
    } else if (args[i] == "--role" && i + 1 < args.size()) {
      role = args[++i];
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }
  const auto parsed_role = fwhub::domain::fleet::parse_role(role);
  if (!parsed_role) {
    std::cerr << "fwhub-admin: --role must be admin or operator\n";
    return 2;
  }
  std::string password;
  if (const char* from_env = std::getenv("FWHUB_PASSWORD"); from_env != nullptr) {
    password = from_env;
  } else {
    std::getline(std::cin, password);
  }
  if (password.size() < 8) {
    std::cerr << "fwhub-admin: the password must have at least 8 characters\n";
    return 1;
  }
  user.password_hash = fwhub::hash_password(password);
  fwhub::db::AccountRepository accounts(connection);
  std::optional<std::string> organization_id;
  if (!organization.empty()) {
    organization_id = accounts.organization_id(organization);
    if (!organization_id) {
      std::cerr << "fwhub-admin: no organization " << organization << "\n";
      return 1;
    }
  }
  const std::string id = accounts.create_user(user);
  if (organization_id) {
    accounts.set_role(id, *organization_id, *parsed_role);
  }
  std::cout << "created user " << user.username << " (" << id << ")\n";
  return 0;
}

int create_token(fwhub::db::Connection& connection, const fwhub::Config& config, const std::string& username,
                 const std::string& name) {
  fwhub::db::AccountRepository accounts(connection);
  const auto user = accounts.user_credentials(username);
  if (!user) {
    std::cerr << "fwhub-admin: no user " << username << "\n";
    return 1;
  }
  fwhub::service::AuthService auth(accounts, config.fleet);
  std::cout << auth.create_token(user->id, name).token << "\n";
  return 0;
}

int run(const fwhub::CommandLine& line) {
  if (line.args.empty()) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string& command = line.args[0];
  if (command == "version") {
    std::cout << fwhub::kVersion << "\n";
    return 0;
  }
  const fwhub::Config config = fwhub::load_config(line.config_path);
  if (command == "check-config") {
    std::cout << line.config_path << ": ok\n";
    return 0;
  }
  fwhub::db::init_driver();
  fwhub::db::Connection connection(config.database);
  if (command == "migrate" && line.args.size() == 1) {
    const auto applied = fwhub::db::migrate(connection, config.paths.sql_dir);
    for (const auto& name : applied) {
      std::cout << "applied " << name << "\n";
    }
    std::cout << (applied.empty() ? "schema is up to date\n" : "");
    return 0;
  }
  if (command == "sync" && line.args.size() == 2 && line.args[1] == "--here") {
    const fwhub::Status status = fwhub::scheduler::run_catalog_sync(config);
    std::cout << (status.is_ok() ? "catalog sync done" : "catalog sync failed: " + status.message()) << "\n";
    return status.is_ok() ? 0 : 1;
  }
  if (command == "sync" && (line.args.size() == 1 || (line.args.size() == 2 && line.args[1] == "--wait"))) {
    return sync_now(connection, line.args.size() == 2);
  }
  if (command == "create-organization" && line.args.size() == 3) {
    fwhub::db::AccountRepository accounts(connection);
    std::cout << "created organization " << accounts.create_organization({line.args[1], line.args[2]}) << "\n";
    return 0;
  }
  if (command == "create-user" && line.args.size() >= 2) {
    return create_user(connection, line.args);
  }
  if (command == "create-token" && line.args.size() == 3) {
    return create_token(connection, config, line.args[1], line.args[2]);
  }
  if (command == "enqueue" && (line.args.size() == 2 || line.args.size() == 3)) {
    fwhub::db::JobRepository jobs(connection);
    fwhub::domain::NewJob job;
    job.kind = line.args[1];
    job.payload = line.args.size() == 3 ? line.args[2] : "{}";
    const auto id = jobs.enqueue(job);
    std::cout << "queued job " << id.value_or(0) << "\n";
    return 0;
  }
  std::cerr << kUsage;
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(fwhub::parse_command_line(argc, argv));
  } catch (const std::exception& error) {
    std::cerr << "fwhub-admin: " << error.what() << "\n";
    return 1;
  }
}
