// Access to the running local stack for functional tests: HTTP through nginx, process ids,
// and scripts/stack for stopping and starting parts. Reads FWHUB_TEST_URL, FWHUB_TEST_STATE.
#pragma once

#include <httplib.h>
#include <signal.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace fwhub::testing {

class Stack {
 public:
  Stack() {
    const char* url = std::getenv("FWHUB_TEST_URL");
    const char* state = std::getenv("FWHUB_TEST_STATE");
    if (url == nullptr || state == nullptr) {
      throw std::runtime_error("FWHUB_TEST_URL and FWHUB_TEST_STATE must be set (run through scripts/test)");
    }
    url_ = url;
    state_ = state;
  }

  [[nodiscard]] httplib::Client client() const {
    httplib::Client client(url_);
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    return client;
  }

  [[nodiscard]] int pid_of(const std::string& name) const {
    std::ifstream in(state_ + "/run/" + name + ".pid");
    int pid = 0;
    in >> pid;
    return pid;
  }

  // Runs scripts/stack --state STATE <command>; returns its exit status.
  [[nodiscard]] int control(const std::string& command) const {
    const std::string line = std::string(FWHUB_SOURCE_DIR) + "/scripts/stack --state '" + state_ + "' " + command;
    return std::system(line.c_str());  // NOLINT(cert-env33-c): fixed command of the project
  }

  [[nodiscard]] const std::string& state() const { return state_; }

  // Runs fwhub-admin against the stack's configuration; returns its exit status and output.
  [[nodiscard]] std::pair<int, std::string> admin(const std::string& args) const {
    const std::string line = "FWHUB_DB_PASSWORD=$(cat '" + state_ +
                             "/secrets/db_password') " FWHUB_BINARY_DIR "/fwhub-admin --config '" + state_ +
                             "/fwhub.toml' " + args + " 2>&1";
    return run(line);
  }

  // Runs one statement on the stack's database as MariaDB's root (over the socket); returns the
  // tab-separated rows without the trailing newline, or the error text with status != 0.
  [[nodiscard]] std::pair<int, std::string> sql(const std::string& query) const {
    auto [status, output] = run("mariadb --no-defaults -N -B -uroot --socket='" + state_ +
                                "/mysql-run/mysqld.sock' fwhub -e \"" + query + "\" 2>&1");
    output.erase(output.find_last_not_of('\n') + 1);
    return {status, output};
  }

  // Adds a password, token or key a test used to the list the log check of the run greps every
  // log for (tests/functional/secrets_not_in_logs.sh): STATE/test-secrets.txt, one a line.
  void remember_secret(const std::string& secret) const {
    if (!secret.empty() && secret.find('\n') == std::string::npos) {
      std::ofstream(state_ + "/test-secrets.txt", std::ios::app) << secret << "\n";
    }
  }

  // Runs a shell command; returns its exit status and output.
  [[nodiscard]] static std::pair<int, std::string> run(const std::string& line) {
    std::string output;
    FILE* pipe = ::popen(line.c_str(), "r");
    if (pipe == nullptr) {
      return {-1, ""};
    }
    std::array<char, 4096> buffer{};
    std::size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
      output.append(buffer.data(), got);
    }
    const int status = ::pclose(pipe);
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
  }

  // Processes whose parent is `pid` (read from /proc).
  [[nodiscard]] static std::vector<int> children(int pid) {
    std::vector<int> out;
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
      const std::string name = entry.path().filename().string();
      if (name.find_first_not_of("0123456789") != std::string::npos) {
        continue;
      }
      std::ifstream stat(entry.path() / "stat");
      std::string comm_and_rest;
      std::getline(stat, comm_and_rest);
      const auto close = comm_and_rest.rfind(')');
      if (close == std::string::npos) {
        continue;
      }
      char state = 0;
      int parent = 0;
      std::istringstream rest(comm_and_rest.substr(close + 1));
      rest >> state >> parent;
      if (parent == pid && state != 'Z') {
        out.push_back(std::stoi(name));
      }
    }
    return out;
  }

 private:
  std::string url_;
  std::string state_;
};

}  // namespace fwhub::testing
