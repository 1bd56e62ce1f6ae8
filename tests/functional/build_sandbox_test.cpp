// The build sandbox against a hostile build script: the test ImageBuilder's probe mode (a
// `#fwhub-sandbox-probe` uci-defaults script) tries to read a canary in /root, the server's
// configuration and secrets, to reach a loopback port and to leave a daemon behind. Reads must be
// refused, no canary may reach the build's output, and no process may remain.
#define BOOST_TEST_MODULE build_sandbox
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::json;
using fwhub::testing::Stack;
using fwhub::testing::str;
using namespace std::chrono_literals;

namespace {

// A listening loopback socket on a free port; connections are never accepted, only counted.
struct Listener {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int port = 0;

  Listener() {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0);  // NOLINT
    BOOST_REQUIRE(::listen(fd, 8) == 0);
    socklen_t size = sizeof(address);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);  // NOLINT
    port = ntohs(address.sin_port);
  }
  ~Listener() { ::close(fd); }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  [[nodiscard]] bool reached() const {
    const int client = ::accept(fd, nullptr, nullptr);
    if (client >= 0) {
      ::close(client);
    }
    return client >= 0;
  }
};

std::string escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_hostile_build_script_reads_nothing_outside_and_leaves_no_process) {
  const Stack stack;
  const std::string canary_text = "sandbox-canary-" + fwhub::random_hex(16);
  const std::string canary = "/root/fwhub-sandbox-canary-" + fwhub::random_hex(4);
  std::ofstream(canary) << canary_text;
  stack.remember_secret(canary_text);
  const std::string marker = "fwhub-sandbox-daemon-" + fwhub::random_hex(6);
  const Listener listener;
  const std::vector<std::string> paths = {canary, stack.state() + "/secrets/db_password",
                                          stack.state() + "/secrets/secret_key", stack.state() + "/fwhub.toml",
                                          stack.state() + "/mysql/mysql/global_priv.MAD"};
  std::string script = "#fwhub-sandbox-probe\n";
  for (const auto& path : paths) {
    script += "read " + path + "\n";
  }
  script += "connect " + std::to_string(listener.port) + "\nspawn " + marker + "\n";
  std::mt19937 random(std::random_device{}());
  const std::string body =
      R"({"version":"23.05.4","target":"ath79/generic","profile":"tplink,archer-c7-v5","packages":[],)"
      R"("rootfs_size_mb":)" +
      std::to_string(100 + random() % 900) + R"(,"defaults":")" + escaped(script) + "\"}";

  auto client = stack.client();
  const auto queued = client.Post("/api/v1/build", body, "application/json");
  BOOST_REQUIRE(queued);
  BOOST_REQUIRE_MESSAGE(queued->status == 202 || queued->status == 200, queued->body);
  const std::string hash = str(json(queued->body)["request_hash"]);
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  auto done = client.Get("/api/v1/build/" + hash);
  while (done && done->status == 202 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    done = client.Get("/api/v1/build/" + hash);
  }
  BOOST_REQUIRE(done);
  BOOST_REQUIRE_MESSAGE(done->status == 500, "the probe build must fail: " << done->body.substr(0, 400));
  const auto failed = json(done->body);
  const std::string output = str(failed["stdout"]) + str(failed["stderr"]);
  BOOST_REQUIRE_MESSAGE(output.find("probe done") != std::string::npos, "the probe did not run: " << output);
  for (const auto& path : paths) {
    BOOST_TEST(output.find("probe read " + path + ": refused") != std::string::npos, path << " in: " << output);
  }
  BOOST_TEST(output.find(canary_text) == std::string::npos);
  BOOST_TEST(output.find("probe spawn " + marker) != std::string::npos, output);
  std::this_thread::sleep_for(500ms);
  const auto [status, left] = Stack::run("pgrep -af '" + marker + "' | grep -v pgrep; true");
  BOOST_TEST(left.empty(), "left behind: " << left);
  // The ImageBuilder fetches its package feeds over HTTP, so the sandbox keeps the network (see
  // README "Security"); what it can reach holds no secret of the server's.
  BOOST_TEST_MESSAGE("loopback port reached from the sandbox: " << (listener.reached() ? "yes" : "no"));
  std::filesystem::remove(canary);
}
