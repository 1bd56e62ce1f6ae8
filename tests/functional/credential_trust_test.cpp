// Credentials cannot be exfiltrated by pointing a device elsewhere (issue 16, findings 4 and 8g),
// on the running stack with real SSH servers (devsim's dropbear) and plain TCP listeners standing
// in for a tenant administrator's server: who may add shared credentials, where passwords go,
// address changes, and what a failed refresh tells about a port.
#define BOOST_TEST_MODULE credential_trust
#include <boost/test/unit_test.hpp>

#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "fwhub/common/random.hpp"
#include "support/devsim_fleet.hpp"
#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::device_password;
using fwhub::testing::Devices;
using fwhub::testing::Fleet;
using fwhub::testing::json;
using fwhub::testing::Stack;
using fwhub::testing::str;

namespace {

const std::string kCannotConnect = "Could not connect to the device over SSH (the scheduler's log has the details).";

// One simulated device without faults, for every case (refreshes only read it).
Devices& devices() {
  static Devices instance(1, "{}");
  return instance;
}

httplib::Headers bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

// A token of another administrator of the fleet's organization.
httplib::Headers second_admin(const Fleet& fleet) {
  const std::string name = fleet.slug + "-admin2-" + fwhub::random_hex(2);
  admin_line("create-user " + name + " --organization " + fleet.slug + " --role admin", "adminpassword2");
  return bearer(admin_line("create-token " + name + " tests"));
}

httplib::Headers superuser() {
  const std::string name = "root" + fwhub::random_hex(4);
  admin_line("create-user " + name + " --superuser", "rootpassword1");
  return bearer(admin_line("create-token " + name + " tests"));
}

std::string device_json(const std::string& name, const std::string& address, int port) {
  return R"({"name":")" + name + R"(","management_ip":")" + address + R"(","ssh_port":)" + std::to_string(port) + "}";
}

std::string created(const httplib::Result& result) {
  BOOST_REQUIRE(result);
  BOOST_REQUIRE_MESSAGE(result->status == 201, result->status << " " << result->body);
  return str(json(result->body)["id"]);
}

// Asks for a refresh as `who` and waits for its end; the device record afterwards.
rapidjson::Document refresh(Fleet& fleet, const httplib::Headers& who, const std::string& device) {
  const std::string path = "/api/v1/devices/" + device + "/";
  const std::string before = str(json(fleet.client.Get(path, who)->body)["refreshed_at"]);
  const auto asked = fleet.client.Post(path + "refresh/", who, "{}", "application/json");
  BOOST_REQUIRE(asked);
  BOOST_REQUIRE_MESSAGE(asked->status == 202, asked->status << " " << asked->body);
  for (int i = 0; i < 240; ++i) {
    auto record = json(fleet.client.Get(path, who)->body);
    if (record["refreshed_at"].IsString() && str(record["refreshed_at"]) != before) {
      return record;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_FAIL("device " << device << " was not refreshed");
  return {};
}

// A loopback TCP port: `answer` is written to every connection, which is then closed; an empty
// answer accepts nothing (connections wait in the backlog). Counts connections accepted.
class Listener {
 public:
  explicit Listener(std::string answer) : answer_(std::move(answer)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    BOOST_REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0);
    BOOST_REQUIRE(::listen(fd_, 16) == 0);
    BOOST_REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    port_ = ntohs(address.sin_port);
    if (!answer_.empty()) {
      thread_ = std::thread([this] {
        for (int client = 0; (client = ::accept(fd_, nullptr, nullptr)) >= 0;) {
          ++accepted_;
          (void)::write(client, answer_.data(), answer_.size());
          ::close(client);
        }
      });
    }
  }
  ~Listener() {
    ::shutdown(fd_, SHUT_RDWR);  // ends accept()
    if (thread_.joinable()) {
      thread_.join();
    }
    ::close(fd_);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] int accepted() const { return accepted_; }

 private:
  std::string answer_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace

// Regression (issue 16, finding 4): another administrator of the organization pointed a device at
// a server of theirs and had the scheduler log in there with the organization's password, which
// the API never shows. The password's own setter, or a superuser, has to confirm the address.
BOOST_AUTO_TEST_CASE(a_password_goes_only_to_an_address_its_setter_or_a_superuser_chose) {
  Fleet fleet;  // its administrator set the organization's auto_add password
  const auto other = second_admin(fleet);
  const auto& sim = devices().device(0);
  const std::string device = created(
      fleet.client.Post("/api/v1/devices/", other, device_json("elsewhere", str(sim["address"]), sim["port"].GetInt()),
                        "application/json"));
  const auto refused = refresh(fleet, other, device);
  BOOST_TEST(str(refused["refresh_error"]).starts_with("Password not sent:"), str(refused["refresh_error"]));
  BOOST_TEST(refused["host_key"].IsNull());  // no SSH handshake happened: nothing could see the password
  BOOST_TEST(str(refused["model"]).empty());
  const auto connections = json(fleet.get("/api/v1/devices/" + device + "/connections/")->body);
  BOOST_TEST(str(connections["results"][0]["failure_reason"]).starts_with("Password not sent:"));

  // The password's setter confirms the address: the password is used.
  BOOST_TEST(fleet.patch("/api/v1/devices/" + device + "/", R"({"confirm_address_change":true})")->status == 200);
  const auto confirmed = refresh(fleet, fleet.auth, device);
  BOOST_TEST(confirmed["refresh_error"].IsNull(), str(confirmed["refresh_error"]));
  BOOST_TEST(str(confirmed["model"]) == str(sim["model"]));
  BOOST_TEST(str(confirmed["host_key"]).starts_with("ssh-"));

  // A host key reset by the other administrator is pointing the device anew: refused again.
  BOOST_TEST(fleet.client.Patch("/api/v1/devices/" + device + "/", other, R"({"host_key":null})", "application/json")
                 ->status == 200);
  const auto reset = refresh(fleet, other, device);
  BOOST_TEST(str(reset["refresh_error"]).starts_with("Password not sent:"), str(reset["refresh_error"]));
  BOOST_TEST(reset["host_key"].IsNull());
}

// An address or port change needs a confirmation and clears the pinned host key.
BOOST_AUTO_TEST_CASE(an_address_change_needs_a_confirmation_and_forgets_the_host_key) {
  Fleet fleet;
  const auto& sim = devices().device(0);
  const std::string device = fleet.add_device(sim);
  const auto pinned = refresh(fleet, fleet.auth, device);
  BOOST_REQUIRE_MESSAGE(str(pinned["host_key"]).starts_with("ssh-"), str(pinned["refresh_error"]));
  const std::string path = "/api/v1/devices/" + device + "/";
  const auto unconfirmed = fleet.patch(path, R"({"ssh_port":2222,"management_ip":"192.0.2.9"})");
  BOOST_REQUIRE_MESSAGE(unconfirmed->status == 400, unconfirmed->status << " " << unconfirmed->body);
  const auto errors = json(unconfirmed->body);
  BOOST_TEST(str(errors["errors"]["ssh_port"][0]).find("confirm_address_change") != std::string::npos);
  BOOST_TEST(str(errors["errors"]["management_ip"][0]).find("confirm_address_change") != std::string::npos);
  // The same address again (what the console's form sends) is no change.
  BOOST_TEST(fleet.patch(path, device_json("kept", str(sim["address"]), sim["port"].GetInt()))->status == 200);
  BOOST_TEST(str(json(fleet.get(path)->body)["host_key"]).starts_with("ssh-"));
  BOOST_TEST(fleet.patch(path, R"({"ssh_port":2222,"confirm_address_change":false})")->status == 400);
  BOOST_TEST(fleet.patch(path, R"({"ssh_port":2222,"confirm_address_change":true})")->status == 200);
  const auto moved = json(fleet.get(path)->body);
  BOOST_TEST(moved["ssh_port"].GetInt() == 2222);
  BOOST_TEST(moved["host_key"].IsNull());
}

// Regression (issue 16, finding 4): an organization's administrator added the superuser's shared
// password credentials to a device of theirs (201) and had them sent there. The API refuses it,
// and the scheduler refuses connections no superuser added (rows written before the fix) and
// shared credentials at an address no superuser set.
BOOST_AUTO_TEST_CASE(shared_credentials_are_used_only_where_a_superuser_put_them) {
  Fleet fleet;
  const auto root = superuser();
  const std::string shared =
      created(fleet.client.Post("/api/v1/credentials/", root,
                                R"({"organization":null,"name":"shared-)" + fwhub::random_hex(3) +
                                    R"(","username":"root","password":")" + device_password() + R"("})",
                                "application/json"));
  const auto& sim = devices().device(0);
  const std::string device = fleet.add_device(sim);
  const std::string connections = "/api/v1/devices/" + device + "/connections/";
  // Without the organization's own (auto-added) credentials, only the shared ones are left.
  const std::string own = str(json(fleet.get(connections)->body)["results"][0]["id"]);
  BOOST_REQUIRE(fleet.client.Delete(connections + own + "/", fleet.auth)->status == 204);

  const auto attached = fleet.post(connections, R"({"credentials":")" + shared + R"("})");
  BOOST_REQUIRE_MESSAGE(attached->status == 400, attached->status << " " << attached->body);
  BOOST_TEST(str(json(attached->body)["errors"]["credentials"][0]) ==
             "Shared credentials can be added to a device by superusers only.");

  // A row no superuser added (as written before the fix): not used.
  const Stack stack;
  const auto [status, output] =
      stack.sql("INSERT INTO device_connections (id, device_id, credentials_id, failure_reason) VALUES (UUID(), '" +
                device + "', '" + shared + "', '')");
  BOOST_REQUIRE_MESSAGE(status == 0, output);
  const auto unattached = refresh(fleet, fleet.auth, device);
  BOOST_TEST(str(unattached["refresh_error"]).starts_with("Shared credentials not used: only a superuser"),
             str(unattached["refresh_error"]));
  BOOST_TEST(unattached["host_key"].IsNull());

  // Added by the superuser, but the address is the tenant's choice: still not used.
  const std::string row = str(json(fleet.get(connections)->body)["results"][0]["id"]);
  BOOST_REQUIRE(fleet.client.Delete(connections + row + "/", root)->status == 204);
  created(fleet.client.Post(connections, root, R"({"credentials":")" + shared + R"("})", "application/json"));
  const auto tenant_address = refresh(fleet, fleet.auth, device);
  BOOST_TEST(str(tenant_address["refresh_error"]).find("address was not set by a superuser") != std::string::npos,
             str(tenant_address["refresh_error"]));
  BOOST_TEST(tenant_address["host_key"].IsNull());

  // The superuser confirms the address: the shared password is used.
  BOOST_TEST(
      fleet.client
          .Patch("/api/v1/devices/" + device + "/", root, R"({"confirm_address_change":true})", "application/json")
          ->status == 200);
  const auto used = refresh(fleet, fleet.auth, device);
  BOOST_TEST(used["refresh_error"].IsNull(), str(used["refresh_error"]));
  BOOST_TEST(str(used["model"]) == str(sim["model"]));
  BOOST_TEST(fleet.client.Delete("/api/v1/credentials/" + shared + "/", root)->status == 204);
}

// Regression (issue 16, finding 8g): refresh_error told "Connection refused" from "SSH handshake
// failed" (and timeouts), so refreshes scanned the scheduler's network. Now they read alike; and
// a device has one refresh at a time (409 while one is queued or running).
BOOST_AUTO_TEST_CASE(refresh_errors_do_not_tell_ports_apart_and_one_runs_at_a_time) {
  Fleet fleet;
  int closed_port = 0;
  {
    const Listener gone("");
    closed_port = gone.port();
  }
  const Listener not_ssh("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  const std::string closed =
      created(fleet.post("/api/v1/devices/", device_json("closed-port", "127.0.0.1", closed_port)));
  const std::string http = created(fleet.post("/api/v1/devices/", device_json("not-ssh", "127.0.0.1", not_ssh.port())));
  BOOST_TEST(str(refresh(fleet, fleet.auth, closed)["refresh_error"]) == kCannotConnect);
  BOOST_TEST(str(refresh(fleet, fleet.auth, http)["refresh_error"]) == kCannotConnect);
  BOOST_TEST(not_ssh.accepted() >= 1);  // it was reached: the two failures differ, their words do not

  const Listener silent("");  // connections wait for a banner that never comes
  const std::string waiting =
      created(fleet.post("/api/v1/devices/", device_json("silent", "127.0.0.1", silent.port())));
  const std::string path = "/api/v1/devices/" + waiting + "/refresh/";
  BOOST_TEST(fleet.post(path, "{}")->status == 202);
  const auto again = fleet.post(path, "{}");
  BOOST_REQUIRE_MESSAGE(again->status == 409, again->status << " " << again->body);
  BOOST_TEST(str(json(again->body)["detail"]) == "A refresh of this device is already queued or running.");
}
