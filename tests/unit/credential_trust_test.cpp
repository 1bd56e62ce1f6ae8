// The credential rules without storage (domain/upgrade/credential_trust.hpp), and the refresh of
// device info against a fake store and connector: refused credentials never reach the connector,
// and every failure before the login is stored with the same words.
#define BOOST_TEST_MODULE credential_trust
#include <boost/test/unit_test.hpp>

#include <map>

#include "fwhub/common/secret_box.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/upgrade/credential_trust.hpp"
#include "fwhub/service/device_refresh.hpp"
#include "fwhub/service/ssh_target.hpp"

using namespace fwhub::domain::upgrade;

namespace {

const DeviceTrust kByAdmin{"org-a", "admin-1", false};    // a tenant administrator pointed the device
const DeviceTrust kBySuperuser{"org-a", "root-1", true};  // a superuser did
const DeviceTrust kFromBefore{"org-a", "", false};        // a row from before the rule

CredentialCandidate password_of(std::optional<std::string> organization, std::string set_by,
                                bool by_superuser = false) {
  return {"c-" + set_by, std::move(organization), true, by_superuser, std::move(set_by)};
}

CredentialCandidate key_of(std::optional<std::string> organization, bool by_superuser = false) {
  return {"k", std::move(organization), false, by_superuser, "someone"};
}

bool allowed(const DeviceTrust& device, const CredentialCandidate& candidate) {
  return !credential_refusal(device, candidate).has_value();
}

}  // namespace

// Regression (issue 16, finding 4): a tenant administrator pointed a device at a server of theirs
// and had the scheduler log in there with the organization's password, which another user set.
BOOST_AUTO_TEST_CASE(a_password_goes_only_where_a_superuser_or_its_setter_pointed_the_device) {
  BOOST_TEST(!allowed(kByAdmin, password_of("org-a", "admin-2")));
  BOOST_TEST(credential_refusal(kByAdmin, password_of("org-a", "admin-2")).value().find("Password not sent") == 0U);
  BOOST_TEST(allowed(kByAdmin, password_of("org-a", "admin-1")));  // who set it knows it
  BOOST_TEST(allowed(kBySuperuser, password_of("org-a", "admin-2")));
  BOOST_TEST(!allowed(kFromBefore, password_of("org-a", "")));  // unknown on both sides is not "the same user"
  BOOST_TEST(!allowed(kByAdmin, password_of("org-a", "")));
}

BOOST_AUTO_TEST_CASE(credentials_of_an_organization_serve_only_its_devices) {
  BOOST_TEST(!allowed(kBySuperuser, password_of("org-b", "root-1", true)));
  BOOST_TEST(!allowed(kBySuperuser, key_of("org-b", true)));
  BOOST_TEST(credential_refusal(kBySuperuser, key_of("org-b")).value().find("another organization") !=
             std::string::npos);
  BOOST_TEST(allowed(kByAdmin, key_of("org-a")));  // a key reveals no secret and opens only org-a's devices
  BOOST_TEST(allowed(kFromBefore, key_of("org-a")));
}

// Regression (issue 16, finding 4): the superuser's shared password went to a tenant's server.
// Shared keys too: they open devices of every organization, so only a superuser says where.
BOOST_AUTO_TEST_CASE(shared_credentials_need_a_superuser_for_the_connection_and_the_address) {
  BOOST_TEST(!allowed(kBySuperuser, password_of(std::nullopt, "root-1", false)));  // a tenant added it
  BOOST_TEST(!allowed(kBySuperuser, key_of(std::nullopt, false)));
  BOOST_TEST(!allowed(kByAdmin, password_of(std::nullopt, "root-1", true)));  // a tenant pointed the device
  BOOST_TEST(!allowed(kByAdmin, key_of(std::nullopt, true)));
  BOOST_TEST(credential_refusal(kByAdmin, key_of(std::nullopt, true)).value().find("confirm_address_change") !=
             std::string::npos);
  BOOST_TEST(allowed(kBySuperuser, password_of(std::nullopt, "root-1", true)));
  BOOST_TEST(allowed(kBySuperuser, key_of(std::nullopt, true)));
}

BOOST_AUTO_TEST_CASE(the_first_usable_connection_is_chosen) {
  const std::vector<CredentialCandidate> candidates{password_of(std::nullopt, "root-1", true),
                                                    password_of("org-a", "admin-2"), key_of("org-a")};
  BOOST_TEST(chosen_credential(kByAdmin, candidates).value() == 2U);
  BOOST_TEST(chosen_credential(kBySuperuser, candidates).value() == 0U);
  // None usable: the first, whose refusal the user gets to read.
  BOOST_TEST(chosen_credential(kByAdmin, {candidates[0], candidates[1]}).value() == 0U);
  BOOST_TEST(!chosen_credential(kByAdmin, {}).has_value());
}

namespace {

// Storage of one device for DeviceRefresh.
struct OneDeviceStore final : UpgradeStore {
  OperationPlan device;
  std::string refresh_error;
  std::string connection_reason;
  bool saved_facts = false;

  std::optional<OperationPlan> plan(const std::string&) override { return std::nullopt; }
  bool set_step(const std::string&, const std::string&, int) override { return false; }
  void append_log(const std::string&, const std::string&) override {}
  void set_reconnect_attempts(const std::string&, int) override {}
  void pin_host_key(const std::string&, const std::string&) override {}
  void pin_uuid(const std::string&, const std::string&) override {}
  void record_connection(const std::string&, bool, const std::string& reason) override { connection_reason = reason; }
  bool finish(const std::string&, Outcome, const std::string&) override { return false; }
  bool postpone(const std::string&, std::chrono::seconds) override { return false; }
  bool admit(const std::string&, int) override { return false; }
  std::optional<OperationPlan> device_plan(const std::string&) override { return device; }
  void save_device_facts(const std::string&, const DeviceFacts&) override { saved_facts = true; }
  void save_refresh_error(const std::string&, const std::string& error) override { refresh_error = error; }
};

// Records what it was asked to connect with and fails the way it is told.
struct RecordingConnector final : DeviceConnector {
  std::vector<SshTarget> targets;
  std::optional<fwhub::Error> failure;

  std::unique_ptr<DeviceSession> connect(const SshTarget& target) override {
    targets.push_back(target);
    throw failure.value_or(fwhub::Error(fwhub::Code::kUnavailable, "no failure set"));
  }
};

struct RefreshFixture {
  fwhub::SecretBox box{fwhub::SecretBox::generate_key_hex()};
  fwhub::UpgradeConfig config;
  OneDeviceStore store;
  RecordingConnector connector;
  fwhub::service::DeviceRefresh refresh{store, connector, config, &box};

  RefreshFixture() {
    store.device.device_id = "d1";
    store.device.device_address = "192.0.2.7";
    store.device.connection_id = "c1";
    store.device.username = "root";
    store.device.secret_kind = "password";
    store.device.sealed_secret = box.seal("the-password");
  }
};

}  // namespace

// Regression (issue 16, finding 4): the check is where the secret is opened, so rows written
// before the API refused them (or straight into the database) are covered too.
BOOST_FIXTURE_TEST_CASE(refused_credentials_never_reach_the_connector, RefreshFixture) {
  store.device.credential_refusal = "Password not sent: because.";
  refresh.refresh("d1");
  BOOST_TEST(connector.targets.empty());
  BOOST_TEST(store.refresh_error == "Password not sent: because.");
  BOOST_TEST(store.connection_reason == "Password not sent: because.");
  BOOST_TEST(!store.saved_facts);
}

// Regression (issue 16, finding 8g): refresh_error said "cannot connect: Connection refused",
// "no answer within 5 s" or "SSH handshake failed", which made refreshes a port scanner.
BOOST_FIXTURE_TEST_CASE(network_failures_before_the_login_read_alike, RefreshFixture) {
  for (const char* detail :
       {"192.0.2.7:22: cannot connect: Connection refused", "192.0.2.7:22: cannot connect: no answer within 5 s",
        "192.0.2.7:22: SSH handshake failed: Protocol mismatch",
        "192.0.2.7:22: cannot resolve the host: Name or service not known"}) {
    connector.failure = fwhub::Error(fwhub::Code::kUnavailable, detail);
    refresh.refresh("d1");
    BOOST_TEST(store.refresh_error == fwhub::service::kCannotConnect);
    BOOST_TEST(store.connection_reason == fwhub::service::kCannotConnect);
  }
  BOOST_TEST(connector.targets.size() == 4U);
  BOOST_TEST(connector.targets.front().password == "the-password");  // allowed credentials are sent
  // A refused login is no network failure: it says so (the operator has to fix the credentials).
  connector.failure = fwhub::Error(fwhub::Code::kUnauthenticated, "192.0.2.7:22: the device refused the login of root");
  refresh.refresh("d1");
  BOOST_TEST(store.refresh_error.find("refused the login") != std::string::npos);
}
