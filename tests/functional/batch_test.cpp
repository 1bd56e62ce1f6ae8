// Mass upgrades on simulated devices with the real scheduler: the dry run's selection and
// reasons, starting, counters and rates, per-batch concurrency, ETag polling, the staged rollout
// stopping on failures, pause/resume, cancelling a whole batch, scheduled and persistent batches
// (an offline device waits as 'pending' and is upgraded once it is back), validation and access.
#define BOOST_TEST_MODULE batch
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <chrono>
#include <ctime>
#include <functional>
#include <set>
#include <thread>

#include "fwhub/common/utc_time.hpp"
#include "support/devsim_fleet.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::Devices;
using fwhub::testing::Fleet;
using fwhub::testing::json;
using fwhub::testing::kUpgrader;
using fwhub::testing::str;

namespace {

Devices& devices() {
  static Devices instance(10, R"({
      "sim-006": {"link_bytes_per_second": 40000},
      "sim-007": {"link_bytes_per_second": 40000},
      "sim-009": {"sysupgrade_test_fails": true},
      "sim-010": {"sysupgrade_test_fails": true}
    })");
  return instance;
}

const rapidjson::Value& sim(int index) {
  return devices().device(index);
}

std::string type_of(int index) {
  return "sim-" + str(sim(index)["board_name"]) + "-sysupgrade.bin";
}

// A build with one image per board of the given devices (same type per board across builds).
std::string build_for(Fleet& fleet, const std::vector<int>& indexes, int padding_kb = 0) {
  std::string build = fleet.add_build();
  std::set<std::string> types;
  for (const int index : indexes) {
    if (types.insert(type_of(index)).second) {
      fleet.upload_image(build, sim(index), type_of(index), padding_kb);
    }
  }
  return build;
}

// Starts a batch; returns its id.
std::string start(Fleet& fleet, const std::string& build, const std::string& body) {
  const auto result = fleet.post(kUpgrader + "build/" + build + "/upgrade/", body);
  BOOST_REQUIRE(result);
  BOOST_REQUIRE_MESSAGE(result->status == 201, result->status << " " << result->body);
  std::string id = str(json(result->body)["batch"]);
  BOOST_TEST(result->get_header_value("Location") == kUpgrader + "batch-upgrade-operation/" + id + "/");
  return id;
}

rapidjson::Document batch(Fleet& fleet, const std::string& id) {
  return json(fleet.get(kUpgrader + "batch-upgrade-operation/" + id + "/")->body);
}

int count(const rapidjson::Value& batch, const char* status) {
  return batch["counts"][status].GetInt();
}

// Polls the batch until `done` holds (checking `each` on every answer); fails after `seconds`.
rapidjson::Document wait_batch(Fleet& fleet, const std::string& id,
                               const std::function<bool(const rapidjson::Value&)>& done, int seconds = 120,
                               const std::function<void(const rapidjson::Value&)>& each = {}) {
  for (int i = 0; i < seconds * 4; ++i) {
    auto document = batch(fleet, id);
    if (each) {
      each(document);
    }
    if (done(document)) {
      return document;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_FAIL("batch " << id << " did not reach the state in " << seconds
                      << " s: " << batch(fleet, id)["status"].GetString());
  return {};
}

bool ended(const rapidjson::Value& batch) {
  const std::string status = str(batch["status"]);
  return status == "success" || status == "failed" || status == "cancelled";
}

std::string iso_in(int seconds) {
  return fwhub::format_utc(std::time(nullptr) + seconds, "%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_dry_run_selects_and_explains_then_a_batch_upgrades_one_device_at_a_time) {
  Fleet fleet;
  const std::string c7 = fleet.add_device(sim(0));
  const std::string mt300 = fleet.add_device(sim(1));
  const std::string r7800 = fleet.add_device(sim(2));
  BOOST_REQUIRE(fleet.patch("/api/v1/devices/" + r7800 + "/", R"({"deactivated":true})")->status == 200);
  fleet.add_device(sim(3));  // no image of the build fits its board
  const std::string build = build_for(fleet, {0, 1, 2});

  const auto dry = json(fleet.get(kUpgrader + "build/" + build + "/upgrade/")->body);
  BOOST_TEST(dry["device_firmwares"].Size() == 0U);
  BOOST_REQUIRE(dry["devices"].Size() == 2U);
  std::set<std::string> chosen = {str(dry["devices"][0]["id"]), str(dry["devices"][1]["id"])};
  BOOST_TEST((chosen == std::set<std::string>{c7, mt300}));
  BOOST_REQUIRE(dry["excluded"].Size() == 2U);
  std::set<std::string> reasons;
  for (const auto& excluded : dry["excluded"].GetArray()) {
    reasons.insert(str(excluded["reason"]));
  }
  BOOST_TEST(reasons.contains("The device is deactivated."));
  BOOST_TEST(reasons.contains("It has no firmware yet and no image of this build fits its board or model."));

  // Without upgrade_all, firmwareless devices are left out: nothing to do (upstream's answer).
  const auto none = fleet.post(kUpgrader + "build/" + build + "/upgrade/", "{}");
  BOOST_TEST(none->status == 400);
  BOOST_TEST(str(json(none->body)["error"]).starts_with("No devices found matching the specified filters."));

  const std::string id = start(fleet, build, R"({"upgrade_all":true,"max_parallel":1})");
  int most_running = 0;
  const auto done = wait_batch(fleet, id, ended, 120, [&most_running](const rapidjson::Value& b) {
    most_running = std::max(most_running, count(b, "in-progress"));
  });
  BOOST_TEST(str(done["status"]) == "success");
  BOOST_TEST(most_running == 1);  // max_parallel 1: never two at once, and it did run
  BOOST_TEST(count(done, "success") == 2);
  BOOST_TEST(done["total"].GetInt() == 2);
  BOOST_TEST(str(done["progress_report"]) == "2 out of 2");
  BOOST_TEST(done["success_rate"].GetDouble() == 100.0);
  BOOST_TEST(done["failed_rate"].GetDouble() == 0.0);
  BOOST_TEST(done["operations"]["count"].GetInt() == 2);
  BOOST_TEST(devices().status(0).second == 1);
  BOOST_TEST(devices().status(1).second == 1);
  BOOST_TEST(devices().status(2).second == 0);  // deactivated

  // Polling: an unchanged batch answers 304 to its ETag.
  const auto first = fleet.get(kUpgrader + "batch-upgrade-operation/" + id + "/");
  const std::string tag = first->get_header_value("ETag");
  BOOST_REQUIRE(!tag.empty());
  httplib::Headers conditional = fleet.auth;
  conditional.emplace("If-None-Match", tag);
  const auto again = fleet.client.Get(kUpgrader + "batch-upgrade-operation/" + id + "/", conditional);
  BOOST_TEST(again->status == 304);
  BOOST_TEST(again->body.empty());
  const auto progress = json(fleet.get(kUpgrader + "batch-upgrade-operation/" + id + "/progress/?since=0")->body);
  BOOST_TEST(progress["changes"].Size() == 2U);
  const auto later = json(fleet
                              .get(kUpgrader + "batch-upgrade-operation/" + id +
                                   "/progress/?since=" + std::to_string(progress["cursor"].GetInt64()))
                              ->body);
  BOOST_TEST(later["changes"].Size() == 0U);

  // The devices now have firmware of the category: a newer build selects them without upgrade_all.
  const std::string newer = build_for(fleet, {0, 1});
  const auto dry2 = json(fleet.get(kUpgrader + "build/" + newer + "/upgrade/")->body);
  BOOST_TEST(dry2["device_firmwares"].Size() == 2U);
  BOOST_TEST(dry2["devices"].Size() == 0U);
  const auto second = wait_batch(fleet, start(fleet, newer, "{}"), ended);
  BOOST_TEST(str(second["status"]) == "success");
  BOOST_TEST(count(second, "success") == 2);
  const auto list = json(fleet.get(kUpgrader + "batch-upgrade-operation/?build=" + newer)->body);
  BOOST_TEST(list["count"].GetInt() == 1);
}

BOOST_AUTO_TEST_CASE(a_staged_rollout_stops_when_its_first_wave_fails) {
  Fleet fleet;
  for (const int index : {4, 8, 9}) {
    fleet.add_device(sim(index));
  }
  const std::string build = build_for(fleet, {4, 8, 9});
  const std::string id = start(fleet, build, R"({"upgrade_all":true,"first_wave":2,"max_failure_rate":10})");
  const auto done = wait_batch(fleet, id, ended);
  // At least one of the two failing devices is in any first wave of two: 50 % or more fail.
  BOOST_TEST(str(done["status"]) == "failed");
  BOOST_TEST(done["first_wave"].GetInt() == 2);
  BOOST_TEST(count(done, "cancelled") == 1);
  BOOST_TEST(count(done, "aborted") >= 1);
  BOOST_TEST(count(done, "success") + count(done, "aborted") == 2);
  BOOST_TEST(str(done["stop_reason"]).starts_with("Stopped after the first wave:"), str(done["stop_reason"]));
  const auto cancelled = json(fleet.get(kUpgrader + "upgrade-operation/?batch=" + id + "&status=cancelled")->body);
  BOOST_REQUIRE(cancelled["count"].GetInt() == 1);
  BOOST_TEST(str(cancelled["results"][0]["log"]).find("Not started: Stopped after the first wave") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_batch_is_paused_resumed_and_cancelled_as_a_whole) {
  Fleet fleet;
  fleet.add_device(sim(5));
  fleet.add_device(sim(6));
  const std::string build = build_for(fleet, {5, 6}, 300);  // 300 kB at 40 kB/s: seconds of upload
  const std::string id = start(fleet, build, R"({"upgrade_all":true,"max_parallel":1})");
  wait_batch(
      fleet, id, [](const rapidjson::Value& b) { return count(b, "in-progress") == 1; }, 30);
  const auto paused = fleet.post(kUpgrader + "batch-upgrade-operation/" + id + "/pause/", "{}");
  BOOST_REQUIRE(paused->status == 200);
  BOOST_TEST(str(json(paused->body)["status"]) == "paused");
  // The running one finishes; the queued one waits while the batch is paused.
  const auto held = wait_batch(fleet, id, [](const rapidjson::Value& b) { return count(b, "in-progress") == 0; });
  BOOST_TEST(str(held["status"]) == "paused");
  BOOST_TEST(count(held, "queued") == 1);
  std::this_thread::sleep_for(std::chrono::seconds(5));  // more than two dispatcher intervals
  BOOST_TEST(count(batch(fleet, id), "queued") == 1);
  BOOST_TEST(fleet.post(kUpgrader + "batch-upgrade-operation/" + id + "/pause/", "{}")->status == 409);

  BOOST_TEST(fleet.post(kUpgrader + "batch-upgrade-operation/" + id + "/resume/", "{}")->status == 200);
  wait_batch(
      fleet, id, [](const rapidjson::Value& b) { return count(b, "queued") == 0; }, 30);
  const auto cancel = fleet.post(kUpgrader + "batch-upgrade-operation/" + id + "/cancel/", "{}");
  BOOST_REQUIRE(cancel->status == 200);
  BOOST_TEST(str(json(cancel->body)["status"]) == "cancelled");
  const auto done = wait_batch(fleet, id, [](const rapidjson::Value& b) { return count(b, "in-progress") == 0; });
  BOOST_TEST(str(done["status"]) == "cancelled");
  BOOST_TEST(count(done, "success") == 1);
  BOOST_TEST(count(done, "cancelled") == 1);
  BOOST_TEST(devices().status(5).second + devices().status(6).second == 1);  // the cancelled one never flashed
  BOOST_TEST(fleet.post(kUpgrader + "batch-upgrade-operation/" + id + "/cancel/", "{}")->status == 409);
  BOOST_TEST(fleet.post(kUpgrader + "batch-upgrade-operation/" + id + "/resume/", "{}")->status == 409);
}

BOOST_AUTO_TEST_CASE(a_scheduled_persistent_batch_waits_for_an_offline_device) {
  Fleet fleet;
  const std::string device = fleet.add_device(sim(7));
  const int port = sim(7)["port"].GetInt();
  // Offline: nothing listens on the port it is registered with.
  BOOST_REQUIRE(
      fleet.patch("/api/v1/devices/" + device + "/", R"({"ssh_port":1,"confirm_address_change":true})")->status == 200);
  const std::string build = build_for(fleet, {7});
  const std::string id =
      start(fleet, build, R"({"upgrade_all":true,"persistent":true,"scheduled_at":")" + iso_in(3) + "\"}");
  const auto scheduled = batch(fleet, id);
  BOOST_TEST(str(scheduled["status"]) == "scheduled");
  BOOST_TEST(count(scheduled, "queued") == 1);
  BOOST_TEST(!scheduled["deadline"].IsNull());  // persistent batches get the default deadline
  const auto pending = wait_batch(
      fleet, id, [](const rapidjson::Value& b) { return count(b, "pending") == 1; }, 60);
  BOOST_TEST(str(pending["status"]) == "in-progress");
  const auto operations = json(fleet.get(kUpgrader + "upgrade-operation/?batch=" + id)->body);
  BOOST_TEST(str(operations["results"][0]["log"]).find("The device is offline: trying again in") != std::string::npos);
  // The device comes back: the next retry upgrades it.
  BOOST_REQUIRE(fleet
                    .patch("/api/v1/devices/" + device + "/",
                           R"({"confirm_address_change":true,"ssh_port":)" + std::to_string(port) + "}")
                    ->status == 200);
  const auto done = wait_batch(fleet, id, ended, 120);
  BOOST_TEST(str(done["status"]) == "success");
  BOOST_TEST(devices().status(7).second == 1);
}

BOOST_AUTO_TEST_CASE(batch_fields_are_validated_and_other_organizations_see_nothing) {
  Fleet fleet;
  fleet.add_device(sim(0));
  const int flashes = devices().status(0).second;
  const std::string build = build_for(fleet, {0});
  const std::string path = kUpgrader + "build/" + build + "/upgrade/";
  const auto errors = [&](const std::string& body) {
    const auto result = fleet.post(path, body);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == 400, body << " → " << result->body);
    return json(result->body)["errors"].IsObject() ? json(result->body) : rapidjson::Document();
  };
  BOOST_TEST(errors(R"({"upgrade_all":true,"first_wave":2,"first_wave_percent":10})")["errors"].HasMember(
      "first_wave_percent"));
  BOOST_TEST(errors(R"({"upgrade_all":true,"deadline":")" + iso_in(3600) + "\"}")["errors"].HasMember("deadline"));
  BOOST_TEST(errors(R"({"upgrade_all":true,"scheduled_at":"tomorrow"})")["errors"].HasMember("scheduled_at"));
  BOOST_TEST(
      errors(R"({"upgrade_all":true,"upgrade_options":{"n":true,"c":true}})")["errors"].HasMember("upgrade_options"));
  BOOST_TEST(errors(R"({"upgrade_all":true,"max_failure_rate":101})")["errors"].HasMember("max_failure_rate"));

  const std::string id = start(fleet, build, R"({"upgrade_all":true,"scheduled_at":")" + iso_in(3600) + "\"}");
  BOOST_TEST(fleet.get(kUpgrader + "batch-upgrade-operation/" + id + "/progress/?since=x")->status == 400);
  Fleet other;
  BOOST_TEST(other.get(kUpgrader + "batch-upgrade-operation/" + id + "/")->status == 404);
  BOOST_TEST(other.get(kUpgrader + "batch-upgrade-operation/" + id + "/progress/")->status == 404);
  BOOST_TEST(other.post(kUpgrader + "batch-upgrade-operation/" + id + "/cancel/", "{}")->status == 404);
  BOOST_TEST(other.get(path)->status == 404);
  BOOST_TEST(other.post(path, R"({"upgrade_all":true})")->status == 404);
  BOOST_TEST(json(other.get(kUpgrader + "batch-upgrade-operation/")->body)["count"].GetInt() == 0);
  // An operator of the organization may cancel; the scheduled batch then never starts.
  admin_line("create-user " + fleet.slug + "-op --organization " + fleet.slug + " --role operator", "oppassword");
  const std::string token = admin_line("create-token " + fleet.slug + "-op tests");
  const auto cancel = fleet.client.Post(kUpgrader + "batch-upgrade-operation/" + id + "/cancel/",
                                        {{"Authorization", "Bearer " + token}}, "{}", "application/json");
  BOOST_TEST(cancel->status == 200);
  BOOST_TEST(count(batch(fleet, id), "cancelled") == 1);
  BOOST_TEST(devices().status(0).second == flashes);
}
