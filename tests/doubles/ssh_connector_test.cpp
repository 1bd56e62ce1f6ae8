// sys::SshConnector against real simulated OpenWrt devices (scripts/devsim: dropbear + busybox on
// loopback): logins, commands, timeouts, SCP uploads with progress and rate limit, host key pinning
// and the faults (refused login, no server, a reflash dropping the connection, a cut upload).
#define BOOST_TEST_MODULE ssh_connector
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "fwhub/common/sha256.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/sys/process.hpp"
#include "fwhub/sys/ssh_connector.hpp"

using namespace std::chrono_literals;
using fwhub::Code;
using fwhub::domain::upgrade::DeviceSession;
using fwhub::domain::upgrade::SshTarget;
using std::chrono::steady_clock;
namespace fs = std::filesystem;

namespace {

const std::string kDevsim = std::string(FWHUB_SOURCE_DIR) + "/scripts/devsim";
constexpr const char* kPassword = "s3cret";
// Device names of scripts/devsim and their faults.
constexpr const char* kPlain = "sim-001";
constexpr const char* kRefusing = "sim-002";
constexpr const char* kUnreachable = "sim-003";
constexpr const char* kReflashing = "sim-004";
constexpr const char* kCutting = "sim-005";
constexpr const char* kFaults = R"({"sim-002": {"refuse_auth": true}, "sim-003": {"unreachable": true},
                                     "sim-005": {"upload_cut_after_bytes": 200000}})";

struct Device {
  std::string address;
  int port = 0;
  std::string host_key;
  std::string board_name;
  std::string version;
};

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fwhub::sys::ProcessResult checked_run(const std::vector<std::string>& argv) {
  auto result = fwhub::sys::run_process({argv, "", {}, std::chrono::seconds(90)});
  if (result.exit_code != 0) {
    throw std::runtime_error(argv.front() + " " + argv.at(1) + " failed: " + result.err);
  }
  return result;
}

// The devices of one devsim state folder, started for the whole test program and stopped at its end.
struct Fleet {
  Fleet() {
    tmp = fs::temp_directory_path() / ("ssh-connector-test-" + std::to_string(std::random_device{}()));
    fs::create_directories(tmp);
    std::ofstream(tmp / "faults.json") << kFaults;
    checked_run({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", (tmp / "id").string()});
    checked_run({"ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", (tmp / "other").string()});
    try {
      const auto listing = checked_run({kDevsim, "start", "--count", "5", "--state", (tmp / "state").string(),
                                        "--faults", (tmp / "faults.json").string(), "--reboot-seconds", "2",
                                        "--password", kPassword, "--key", (tmp / "id.pub").string(), "--detach"});
      rapidjson::Document json;
      json.Parse(listing.out.c_str());
      if (json.HasParseError() || !json.IsArray()) {
        throw std::runtime_error("devsim start printed no JSON list: " + listing.out);
      }
      for (const auto& device : json.GetArray()) {
        devices[device["name"].GetString()] = {device["address"].GetString(), device["port"].GetInt(),
                                               device["host_key"].GetString(), device["board_name"].GetString(),
                                               device["version"].GetString()};
      }
    } catch (...) {
      stop();
      throw;
    }
  }
  ~Fleet() { stop(); }
  Fleet(const Fleet&) = delete;
  Fleet& operator=(const Fleet&) = delete;

  void stop() const {
    fwhub::sys::run_process({{kDevsim, "stop", "--state", (tmp / "state").string()}, "", {}, 60s});
    fs::remove_all(tmp);
  }

  static Fleet* instance;
  fs::path tmp;
  std::map<std::string, Device> devices;
};
Fleet* Fleet::instance = nullptr;

struct FleetFixture {
  FleetFixture() : fleet(std::make_unique<Fleet>()) { Fleet::instance = fleet.get(); }
  ~FleetFixture() { Fleet::instance = nullptr; }
  FleetFixture(const FleetFixture&) = delete;
  FleetFixture& operator=(const FleetFixture&) = delete;
  std::unique_ptr<Fleet> fleet;
};
BOOST_TEST_GLOBAL_FIXTURE(FleetFixture);

const Device& device(const std::string& name) {
  return Fleet::instance->devices.at(name);
}

SshTarget target(const std::string& name) {
  SshTarget target;
  target.host = device(name).address;
  target.port = device(name).port;
  target.username = "root";
  target.password = kPassword;
  return target;
}

std::unique_ptr<DeviceSession> log_in(const SshTarget& target) {
  return fwhub::sys::SshConnector().connect(target);
}

std::string name(Code code) {
  return std::string(fwhub::code_name(code));
}

// The name of the code of the fwhub::Error that `action` throws (of kOk if it throws none).
template <typename Action>
std::string error_code(Action&& action, std::string* message = nullptr) {
  try {
    action();
  } catch (const fwhub::Error& error) {
    BOOST_TEST_MESSAGE(fwhub::code_name(error.code()) << ": " << error.what());
    if (message != nullptr) {
      *message = error.what();
    }
    return name(error.code());
  }
  return name(Code::kOk);
}

long milliseconds_since(steady_clock::time_point start) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(steady_clock::now() - start).count());
}

std::string random_file(const std::string& name, std::size_t size) {
  std::mt19937 random(static_cast<unsigned>(size));
  std::string data(size, '\0');
  for (auto& byte : data) {
    byte = static_cast<char>(random());
  }
  auto path = (Fleet::instance->tmp / name).string();
  std::ofstream(path, std::ios::binary) << data;
  return path;
}

// sha256sum of a file on the device (the hex only).
std::string remote_sha256(DeviceSession& session, const std::string& path) {
  const auto result = session.run("sha256sum " + path, 30s);
  BOOST_REQUIRE_EQUAL(result.exit_status, 0);
  return result.out.substr(0, result.out.find(' '));
}

std::size_t open_descriptors() {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator("/proc/self/fd"), fs::directory_iterator()));
}

}  // namespace

BOOST_AUTO_TEST_CASE(password_login_runs_commands_with_output_and_exit_status) {
  const auto session = log_in(target(kPlain));
  BOOST_TEST(session->host_key() == device(kPlain).host_key);

  const auto release = session->run("cat /etc/openwrt_release", 30s);
  BOOST_TEST(release.exit_status == 0);
  BOOST_TEST(release.out.find("DISTRIB_RELEASE='" + device(kPlain).version + "'") != std::string::npos, release.out);

  const auto board = session->run("ubus call system board", 30s);
  BOOST_TEST(board.exit_status == 0);
  BOOST_TEST(board.out.find("\"board_name\": \"" + device(kPlain).board_name + "\"") != std::string::npos, board.out);

  BOOST_TEST(session->run("false", 30s).exit_status == 1);
  const auto mixed = session->run("echo out; echo err >&2; exit 3", 30s);
  BOOST_TEST(mixed.exit_status == 3);
  BOOST_TEST(mixed.out == "out\n");
  BOOST_TEST(mixed.err == "err\n");
}

BOOST_AUTO_TEST_CASE(private_key_login) {
  auto by_key = target(kPlain);
  by_key.password.clear();
  by_key.private_key = read_text(Fleet::instance->tmp / "id");
  const auto session = log_in(by_key);
  BOOST_TEST(session->run("echo key", 30s).out == "key\n");

  auto unknown_key = by_key;
  unknown_key.private_key = read_text(Fleet::instance->tmp / "other");
  BOOST_TEST(error_code([&] { log_in(unknown_key); }) == name(Code::kUnauthenticated));

  auto garbage = by_key;
  garbage.private_key = "not a key";
  BOOST_TEST(error_code([&] { log_in(garbage); }) == name(Code::kInvalidArgument));
}

BOOST_AUTO_TEST_CASE(wrong_password_is_unauthenticated) {
  auto wrong = target(kPlain);
  wrong.password = "wrong";
  BOOST_TEST(error_code([&] { log_in(wrong); }) == name(Code::kUnauthenticated));
}

BOOST_AUTO_TEST_CASE(command_over_its_timeout_is_deadline_exceeded_and_the_session_goes_on) {
  const auto session = log_in(target(kPlain));
  const auto start = steady_clock::now();
  BOOST_TEST(error_code([&] { session->run("sleep 10", 1s); }) == name(Code::kDeadlineExceeded));
  const auto took = milliseconds_since(start);
  BOOST_TEST(took >= 1000);
  BOOST_TEST(took < 4000);
  BOOST_TEST(session->run("echo still here", 30s).out == "still here\n");
}

BOOST_AUTO_TEST_CASE(upload_streams_the_file_and_reports_progress) {
  const std::size_t size = 1'000'000 + 123;
  const auto local = random_file("image.bin", size);
  const auto session = log_in(target(kPlain));
  std::vector<std::uint64_t> progress;
  session->upload(
      local, "/tmp/image.bin", [&](std::uint64_t sent) { progress.push_back(sent); }, 0);
  BOOST_REQUIRE(!progress.empty());
  BOOST_TEST(progress.size() > 1U);  // in chunks, not in one piece
  BOOST_TEST(std::is_sorted(progress.begin(), progress.end()));
  BOOST_TEST(progress.back() == size);
  BOOST_TEST(remote_sha256(*session, "/tmp/image.bin") == fwhub::sha256_hex(read_text(local)));
}

BOOST_AUTO_TEST_CASE(upload_keeps_to_the_rate_limit) {
  const auto local = random_file("limited.bin", 200'000);
  const auto session = log_in(target(kPlain));

  auto start = steady_clock::now();
  session->upload(local, "/tmp/unlimited.bin", {}, 0);
  BOOST_TEST(milliseconds_since(start) < 1500);

  start = steady_clock::now();
  session->upload(local, "/tmp/limited.bin", {}, 100'000);
  const auto limited = milliseconds_since(start);
  BOOST_TEST(limited >= 1500);
  BOOST_TEST(limited < 10000);
  BOOST_TEST(remote_sha256(*session, "/tmp/limited.bin") == fwhub::sha256_hex(read_text(local)));
}

BOOST_AUTO_TEST_CASE(upload_refuses_remote_paths_that_need_quoting) {
  const auto local = random_file("small.bin", 10);
  const auto session = log_in(target(kPlain));
  BOOST_TEST(error_code([&] { session->upload(local, "/tmp/a b; reboot", {}, 0); }) == name(Code::kInvalidArgument));
  BOOST_TEST(error_code([&] { session->upload(local, "/tmp/x", {}, 0); }) == name(Code::kOk));
  BOOST_TEST(session->run("cat /tmp/x | wc -c", 30s).out.find("10") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(host_key_pinning) {
  auto first = target(kPlain);
  const auto learnt = log_in(first)->host_key();
  BOOST_TEST(learnt.rfind("ssh-ed25519 AAAA", 0) == 0U, learnt);

  auto pinned = first;
  pinned.pinned_host_key = learnt;
  BOOST_TEST(error_code([&] { log_in(pinned); }) == name(Code::kOk));
  pinned.pinned_host_key = learnt.substr(learnt.find(' ') + 1);  // the base64 alone
  BOOST_TEST(error_code([&] { log_in(pinned); }) == name(Code::kOk));

  auto wrong = first;
  wrong.pinned_host_key = read_text(Fleet::instance->tmp / "other.pub");
  std::string message;
  BOOST_TEST(error_code([&] { log_in(wrong); }, &message) == name(Code::kFailedPrecondition));
  BOOST_TEST(message.find("the device's host key changed") != std::string::npos);
  BOOST_TEST(message.find("offered " + learnt) != std::string::npos);
  BOOST_TEST(message.find("reset the device's host key if the device was reinstalled") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sessions_close_their_sockets) {
  const auto before = open_descriptors();
  for (int i = 0; i < 5; ++i) {
    log_in(target(kPlain))->run("true", 30s);
    auto wrong = target(kPlain);
    wrong.password = "wrong";
    error_code([&] { log_in(wrong); });
  }
  // A connection that breaks: libssh closes that socket itself.
  const auto cut = random_file("cut-small.bin", 300'000);
  error_code([&] { log_in(target(kCutting))->upload(cut, "/tmp/cut-small.bin", {}, 0); });
  BOOST_TEST(open_descriptors() == before);
}

BOOST_AUTO_TEST_CASE(refused_login_is_unauthenticated) {
  BOOST_TEST(error_code([&] { log_in(target(kRefusing)); }) == name(Code::kUnauthenticated));
}

BOOST_AUTO_TEST_CASE(no_server_is_unavailable_within_the_connect_timeout) {
  auto unreachable = target(kUnreachable);
  unreachable.connect_timeout = 2s;
  const auto start = steady_clock::now();
  BOOST_TEST(error_code([&] { log_in(unreachable); }) == name(Code::kUnavailable));
  BOOST_TEST(milliseconds_since(start) < 3000);
}

BOOST_AUTO_TEST_CASE(reflash_dropping_the_connection_mid_command_is_unavailable) {
  const auto session = log_in(target(kReflashing));
  const auto start = steady_clock::now();
  std::string message;
  // A forced reflash of a junk image: the device drops every session half a second later.
  const auto code = error_code(
      [&] { session->run("echo junk > /tmp/junk.bin && /sbin/sysupgrade -F /tmp/junk.bin; sleep 30", 25s); }, &message);
  BOOST_TEST(code == name(Code::kUnavailable));
  BOOST_TEST(message.find("connection lost") != std::string::npos);
  BOOST_TEST(milliseconds_since(start) < 10000);
  BOOST_TEST(error_code([&] { session->run("true", 5s); }) == name(Code::kUnavailable));
}

BOOST_AUTO_TEST_CASE(upload_cut_by_the_link_is_unavailable) {
  const auto local = random_file("cut.bin", 1'000'000);
  const auto session = log_in(target(kCutting));
  std::uint64_t reached = 0;
  const auto start = steady_clock::now();
  const auto code = error_code([&] {
    session->upload(
        local, "/tmp/cut.bin", [&](std::uint64_t sent) { reached = sent; }, 0);
  });
  BOOST_TEST(code == name(Code::kUnavailable));
  BOOST_TEST(reached < 1'000'000U);
  BOOST_TEST(milliseconds_since(start) < 10000);
}
