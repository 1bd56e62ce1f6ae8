// fwhub-admin: operator commands (check-config, migrate, enqueue, version).
#include <cstdio>
#include <iostream>

#include "fwhub/common/cli.hpp"
#include "fwhub/common/version.hpp"
#include "fwhub/db/job_repository.hpp"
#include "fwhub/db/migrator.hpp"

namespace {

constexpr const char* kUsage =
    "usage: fwhub-admin [--config PATH] COMMAND\n"
    "  check-config            parse the configuration file and report the first error\n"
    "  migrate                 apply the pending migrations of paths.sql_dir\n"
    "  enqueue KIND [PAYLOAD]  queue a job of KIND with a JSON payload (default {})\n"
    "  version                 print the version\n";

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
  if (command == "migrate") {
    const auto applied = fwhub::db::migrate(connection, config.paths.sql_dir);
    for (const auto& name : applied) {
      std::cout << "applied " << name << "\n";
    }
    std::cout << (applied.empty() ? "schema is up to date\n" : "");
    return 0;
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
