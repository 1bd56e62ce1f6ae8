// Device upgrades over SSH on simulated OpenWrt devices (scripts/devsim: dropbear + busybox):
// the whole path from PUT device firmware through the scheduler's upgrade job to the device
// running the new firmware, and the outcomes of the spec for faulty devices.
#define BOOST_TEST_MODULE upgrade
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include <signal.h>

#include "fwhub/common/random.hpp"
#include "support/devsim_fleet.hpp"
#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::device_password;
using fwhub::testing::Devices;
using fwhub::testing::Fleet;
using fwhub::testing::json;
using fwhub::testing::kNewRevision;
using fwhub::testing::kUpgrader;
using fwhub::testing::Stack;
using fwhub::testing::str;

namespace {

const std::string kCannotConnect = "Could not connect to the device over SSH (the scheduler's log has the details).";

// Below Linux's ephemeral range (32768–60999), which devsim, the stacks and every outgoing
// connection draw their ports from. Regression: a clean-clone run drew 39900, something held it
// when the device came back, and the device stayed down (16 refused reconnect attempts).
const int kMovedPort = 20000 + static_cast<int>(std::stoul(fwhub::random_hex(1), nullptr, 16) % 120) * 100;

Devices& devices() {
  static Devices instance(19, R"({
      "sim-002": {"sysupgrade_test_fails": true},
      "sim-003": {"ubus_false_positive": true},
      "sim-004": {"returns_old_version": true},
      "sim-005": {"unreachable": true},
      "sim-006": {"link_bytes_per_second": 20000},
      "sim-007": {"mem_free_kb": 100, "mem_freeable_kb": 50},
      "sim-008": {"returns_on_address": ")" +
                                  std::to_string(kMovedPort) +
                                  R"("},
      "sim-009": {"host_key_changes": true},
      "sim-011": {"link_bytes_per_second": 20000},
      "sim-012": {"reboot_seconds": 8},
      "sim-013": {"wrong_identity": {"uuid": "00000000-0000-4000-8000-000000000013",
                                     "board_name": "tplink,archer-c7-v5"}},
      "sim-015": {"refuse_auth": true},
      "sim-016": {"upload_cut_after_bytes": 200000},
      "sim-017": {"never_returns": true},
      "sim-018": {"mem_free_kb": 100, "mem_freeable_kb": 8000}
    })");
  return instance;
}

// Where the engine puts the image on the simulated device (/tmp/<the image's file name>; the
// names these tests upload are plain words unless a case says otherwise).
std::filesystem::path image_on_device(const rapidjson::Value& sim, const std::string& image) {
  const auto [status, name] = Stack().sql("SELECT file_name FROM fw_images WHERE id = '" + image + "'");
  BOOST_REQUIRE_MESSAGE(status == 0 && !name.empty(), name);
  return std::filesystem::path(str(sim["state_root"])) / "tmp" / name;
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) {
    ++count;
  }
  return count;
}

bool connection_works(Fleet& fleet, const std::string& device) {
  return json(fleet.get("/api/v1/devices/" + device + "/connections/")->body)["results"][0]["is_working"].IsTrue();
}

bool firmware_installed(Fleet& fleet, const std::string& device) {
  return json(fleet.get(kUpgrader + "device/" + device + "/firmware/")->body)["installed"].GetBool();
}

}  // namespace

// The image's file name has what SCP refuses and a shell would split or run; on the device it is
// a plain word (regression: "image (1).bin" could not be uploaded and the operation stayed in
// progress).
BOOST_AUTO_TEST_CASE(a_device_is_upgraded_and_verified) {
  Fleet fleet;
  const auto& sim = devices().device(0);
  const std::string device = fleet.add_device(sim);
  const std::string image = fleet.add_image(sim, 0, "sim image (1) it's $(id).bin");
  const auto done = fleet.wait_for_end(fleet.upgrade(device, image));
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(done["progress"].GetInt() == 100);
  const std::string log = str(done["log"]);
  BOOST_TEST(log.find("Reflashing: /sbin/sysupgrade -v -c /tmp/sim_image__1__it_s___id_.bin") != std::string::npos,
             log);
  BOOST_TEST(log.find("Connection successful, starting upgrade...") != std::string::npos);
  BOOST_TEST(log.find("sysupgrade --test passed.") != std::string::npos);
  BOOST_TEST(log.find("Upgrade completed successfully.") != std::string::npos);
  BOOST_TEST(devices().status(0).first == "23.05.4");
  BOOST_TEST(devices().status(0).second == 1);
  const auto firmware = json(fleet.get(kUpgrader + "device/" + device + "/firmware/")->body);
  BOOST_TEST(firmware["installed"].GetBool());
  const auto record = json(fleet.get("/api/v1/devices/" + device + "/")->body);
  BOOST_TEST(str(record["os"]).find(kNewRevision) != std::string::npos);
  BOOST_TEST(str(record["host_key"]).starts_with("ssh-"));  // pinned on first use
  BOOST_TEST(str(record["uuid"]) == str(sim["uuid"]));      // learned on first contact

  // The same image again: the checksum on the device says there is nothing to do.
  const auto again = fleet.wait_for_end(fleet.upgrade(device, image));
  BOOST_TEST(str(again["status"]) == "success");
  BOOST_TEST(str(again["log"]).find("upgrade not needed") != std::string::npos);
  BOOST_TEST(devices().status(0).second == 1);  // not flashed twice
  // A finished operation cannot be cancelled.
  BOOST_TEST(fleet.post(kUpgrader + "upgrade-operation/" + str(again["id"]) + "/cancel/", "{}")->status == 409);
}

BOOST_AUTO_TEST_CASE(a_failing_image_check_aborts_without_flashing) {
  Fleet fleet;
  const auto& sim = devices().device(1);
  const std::string device = fleet.add_device(sim);
  const std::string image = fleet.add_image(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, image));
  BOOST_TEST(str(done["status"]) == "aborted");
  BOOST_TEST(str(done["log"]).find("sysupgrade --test failed") != std::string::npos);
  BOOST_TEST(devices().status(1).second == 0);
  BOOST_TEST(!firmware_installed(fleet, device));
  // Regression: the refused image stayed in the device's /tmp, which is RAM, until it rebooted.
  BOOST_TEST(!std::filesystem::exists(image_on_device(sim, image)));
}

BOOST_AUTO_TEST_CASE(a_device_reporting_another_uuid_is_not_flashed) {
  Fleet fleet;
  const auto& sim = devices().device(12);
  const std::string device = fleet.add_device(sim);
  BOOST_REQUIRE(fleet.patch("/api/v1/devices/" + device + "/", R"({"uuid":")" + str(sim["uuid"]) + "\"}")->status ==
                200);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim)));
  BOOST_TEST(str(done["status"]) == "aborted");
  BOOST_TEST(str(done["log"])
                     .find("Device identity mismatch: expected uuid " + str(sim["uuid"]) +
                           ", found 00000000-0000-4000-8000-000000000013") != std::string::npos,
             str(done["log"]));
  BOOST_TEST(devices().status(12).second == 0);
}

BOOST_AUTO_TEST_CASE(the_ubus_false_positive_is_not_a_failure) {
  Fleet fleet;
  const auto& sim = devices().device(2);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim)));
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(devices().status(2).first == "23.05.4");
}

BOOST_AUTO_TEST_CASE(a_device_back_on_its_old_firmware_fails_the_verification) {
  Fleet fleet;
  const auto& sim = devices().device(3);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim)));
  BOOST_TEST(str(done["status"]) == "failed");
  BOOST_TEST(str(done["log"]).find("not the new firmware") != std::string::npos);
  BOOST_TEST(devices().status(3).second == 1);
}

BOOST_AUTO_TEST_CASE(an_unreachable_device_is_retried_then_failed) {
  Fleet fleet;
  const auto& sim = devices().device(4);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim)));
  BOOST_TEST(str(done["status"]) == "failed");
  const std::string log = str(done["log"]);
  BOOST_TEST(log.find("Max retries exceeded. Upgrade failed:") != std::string::npos, log);
  // The first try and two retries (max_retries = 2 on the test stack).
  BOOST_TEST(count_of(log, "Recoverable failure") == 3U);
  BOOST_TEST(!connection_works(fleet, device));
  BOOST_TEST(!firmware_installed(fleet, device));
}

BOOST_AUTO_TEST_CASE(a_refused_login_aborts_without_retries) {
  Fleet fleet;
  const auto& sim = devices().device(14);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim)));
  BOOST_TEST(str(done["status"]) == "aborted", str(done["log"]));
  const std::string log = str(done["log"]);
  BOOST_TEST(log.find("refused the login of root") != std::string::npos, log);
  BOOST_TEST(count_of(log, "Recoverable failure") == 0U);
  BOOST_TEST(!connection_works(fleet, device));
  BOOST_TEST(!firmware_installed(fleet, device));
  BOOST_TEST(devices().status(14).second == 0);
}

BOOST_AUTO_TEST_CASE(an_upload_cut_by_the_link_is_retried_then_failed) {
  Fleet fleet;
  const auto& sim = devices().device(15);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim, 400)));  // cut at 200 kB
  BOOST_TEST(str(done["status"]) == "failed", str(done["log"]));
  const std::string log = str(done["log"]);
  BOOST_TEST(count_of(log, "Uploading the image to ") == 3U, log);
  BOOST_TEST(count_of(log, "Recoverable failure") == 3U);
  BOOST_TEST(log.find("Max retries exceeded. Upgrade failed:") != std::string::npos);
  BOOST_TEST(log.find("sysupgrade --test") == std::string::npos);
  BOOST_TEST(str(done["step"]) == "uploading");
  BOOST_TEST(!firmware_installed(fleet, device));
  BOOST_TEST(devices().status(15).second == 0);
}

// fwhub's choice where upstream assumes the image installed: without the verification the
// firmware is not marked installed, so the next mass upgrade of the build includes the device.
BOOST_AUTO_TEST_CASE(a_device_that_never_comes_back_fails_after_every_reconnect_attempt) {
  Fleet fleet;
  const auto& sim = devices().device(16);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim)), 240);
  BOOST_TEST(str(done["status"]) == "failed", str(done["log"]));
  const std::string log = str(done["log"]);
  BOOST_TEST(log.find("Giving up, device not reachable anymore after upgrade") != std::string::npos, log);
  BOOST_TEST(count_of(log, "Reconnect attempt ") == 16U);  // reconnect_max_retries = 15 on the test stack
  BOOST_TEST(count_of(log, "Reflashing: ") == 1U);
  BOOST_TEST(done["progress"].GetInt() == 70);
  BOOST_TEST(!connection_works(fleet, device));
  BOOST_TEST(!firmware_installed(fleet, device));
  BOOST_TEST(devices().status(16).second == 1);
}

BOOST_AUTO_TEST_CASE(memory_freed_by_stopping_services_lets_the_upgrade_go_on) {
  Fleet fleet;
  const auto& sim = devices().device(17);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim, 400)));
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(str(done["log"]).find("Not enough memory: stopping non-critical services.") != std::string::npos);
  BOOST_TEST(firmware_installed(fleet, device));
  BOOST_TEST(devices().status(17).second == 1);
  BOOST_TEST(devices().stopped_services(17).empty());  // the new firmware booted with all of them
}

BOOST_AUTO_TEST_CASE(options_c_and_F_reach_sysupgrade_and_the_configuration_is_kept) {
  Fleet fleet;
  const auto& sim = devices().device(18);
  const std::filesystem::path marker = std::filesystem::path(str(sim["state_root"])) / "etc" / "fwhub-test-marker";
  std::ofstream(marker) << "operator's configuration\n";
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim), R"({"c":true,"F":true})"));
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(str(done["log"]).find("Reflashing: /sbin/sysupgrade -v -c -F /tmp/") != std::string::npos,
             str(done["log"]));
  BOOST_TEST(std::filesystem::exists(marker));
  BOOST_TEST(devices().status(18).first == "23.05.4");
}

BOOST_AUTO_TEST_CASE(an_upgrade_is_cancelled_before_the_reflash_and_one_runs_per_device) {
  Fleet fleet;
  const auto& sim = devices().device(5);
  const std::string device = fleet.add_device(sim);
  const std::string image = fleet.add_image(sim, 400);  // 400 kB over a 20 kB/s link: 20 s of upload
  const std::string operation = fleet.upgrade(device, image);
  for (int i = 0; i < 120 && str(json(fleet.get(operation)->body)["step"]) != "uploading"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_REQUIRE(str(json(fleet.get(operation)->body)["step"]) == "uploading");
  // A second upgrade of the same device is refused while this one runs, and changes nothing.
  const std::string other_image = fleet.add_image(sim);
  const auto second = fleet.put(kUpgrader + "device/" + device + "/firmware/", R"({"image":")" + other_image + R"("})");
  BOOST_TEST(second->status == 409);
  BOOST_TEST(str(json(fleet.get(kUpgrader + "device/" + device + "/firmware/")->body)["image"]) == image);
  const auto cancelled = fleet.post(operation + "cancel/", "{}");
  BOOST_TEST(cancelled->status == 200);
  BOOST_TEST(str(json(cancelled->body)["status"]) == "cancelled");
  for (int i = 0;
       i < 240 && str(json(fleet.get(operation)->body)["log"]).find("Stopped before reflashing.") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_TEST(str(json(fleet.get(operation)->body)["log"]).find("Stopped before reflashing.") != std::string::npos);
  BOOST_TEST(devices().status(5).second == 0);
  BOOST_TEST(str(json(fleet.get(operation)->body)["status"]) == "cancelled");
  // Invalid options are refused before anything starts.
  const auto bad = fleet.put(kUpgrader + "device/" + device + "/firmware/",
                             R"({"image":")" + image + R"(","upgrade_options":{"n":true,"c":true}})");
  BOOST_TEST(bad->status == 400);
  // Other organizations see none of it.
  Fleet other;
  BOOST_TEST(other.get(operation)->status == 404);
  BOOST_TEST(other.post(operation + "cancel/", "{}")->status == 404);
}

namespace {

// Kills the scheduler with SIGKILL and waits until it is gone.
void stop_scheduler_hard() {
  const int pid = Stack().pid_of("scheduler");
  BOOST_REQUIRE(pid > 0);
  BOOST_REQUIRE(::kill(pid, SIGKILL) == 0);
  for (int i = 0; i < 100 && ::kill(pid, 0) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void kill_scheduler() {
  stop_scheduler_hard();
  BOOST_REQUIRE(Stack().control("scheduler-start") == 0);
}

void wait_for_step(Fleet& fleet, const std::string& operation, const std::string& step) {
  for (int i = 0; i < 240 && str(json(fleet.get(operation)->body)["step"]) != step; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_REQUIRE_MESSAGE(str(json(fleet.get(operation)->body)["step"]) == step, fleet.get(operation)->body);
}

}  // namespace

BOOST_AUTO_TEST_CASE(too_little_memory_aborts_and_restarts_the_services) {
  Fleet fleet;
  const auto& sim = devices().device(6);
  const std::string device = fleet.add_device(sim);
  const std::string image = fleet.add_image(sim, 400);
  // What an earlier attempt left of the image (an upload cut midway) holds RAM: it goes before
  // free memory is read (regression: it stayed and counted against the image).
  const auto leftover = image_on_device(sim, image);
  std::ofstream(leftover) << std::string(100000, 'x');
  const auto done = fleet.wait_for_end(fleet.upgrade(device, image));
  BOOST_TEST(!std::filesystem::exists(leftover));
  BOOST_TEST(str(done["status"]) == "aborted");
  BOOST_TEST(count_of(str(done["log"]), "Recoverable failure") == 0U);  // aborted: never retried
  BOOST_TEST(!firmware_installed(fleet, device));
  const std::string log = str(done["log"]);
  BOOST_TEST(log.find("stopping non-critical services") != std::string::npos, log);
  BOOST_TEST(log.find("Services started again.") != std::string::npos);
  BOOST_TEST(log.find("There is not enough memory on the device") != std::string::npos);
  BOOST_TEST(devices().status(6).second == 0);
  // The device itself runs every service again (devsim's init scripts), not only our log says so.
  const auto stopped = devices().stopped_services(6);
  BOOST_TEST(stopped.empty(), "still stopped on the device: " << stopped.size());
}

BOOST_AUTO_TEST_CASE(a_device_that_comes_back_elsewhere_is_found_at_its_new_address) {
  Fleet fleet;
  const auto& sim = devices().device(7);
  const std::string device = fleet.add_device(sim);
  const std::string operation = fleet.upgrade(device, fleet.add_image(sim));
  wait_for_step(fleet, operation, "rebooting");
  // Past the reflash an operation cannot be cancelled: 409, and it goes on.
  BOOST_TEST(fleet.post(operation + "cancel/", "{}")->status == 409);
  BOOST_TEST(str(json(fleet.get(operation)->body)["status"]) == "in-progress");
  // The device's address is read again at every reconnect attempt.
  const auto moved = fleet.client.Patch(
      "/api/v1/devices/" + device + "/", fleet.auth,
      R"({"confirm_address_change":true,"ssh_port":)" + std::to_string(kMovedPort) + "}", "application/json");
  BOOST_REQUIRE(moved);
  BOOST_REQUIRE_MESSAGE(moved->status == 200, moved->body);
  const auto done = fleet.wait_for_end(operation);
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(devices().status(7).second == 1);
}

BOOST_AUTO_TEST_CASE(a_changed_host_key_is_refused) {
  Fleet fleet;
  const auto& sim = devices().device(8);
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim)));
  BOOST_TEST(str(done["status"]) == "failed");
  BOOST_TEST(str(done["log"]).find("host key changed") != std::string::npos, str(done["log"]));
}

BOOST_AUTO_TEST_CASE(option_n_reaches_sysupgrade_and_wipes_the_configuration) {
  Fleet fleet;
  const auto& sim = devices().device(9);
  const std::filesystem::path marker = std::filesystem::path(str(sim["state_root"])) / "etc" / "fwhub-test-marker";
  std::ofstream(marker) << "operator's configuration\n";
  const std::string device = fleet.add_device(sim);
  const auto done = fleet.wait_for_end(fleet.upgrade(device, fleet.add_image(sim), R"({"n":true,"c":false})"));
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(str(done["log"]).find("/sbin/sysupgrade -v -n /tmp/") != std::string::npos);
  BOOST_TEST(!std::filesystem::exists(marker));
}

BOOST_AUTO_TEST_CASE(a_scheduler_killed_during_the_upload_is_resumed_and_flashes_once) {
  Fleet fleet;
  const auto& sim = devices().device(10);
  const std::string device = fleet.add_device(sim);
  const std::string operation = fleet.upgrade(device, fleet.add_image(sim, 400));
  wait_for_step(fleet, operation, "uploading");
  kill_scheduler();
  const auto done = fleet.wait_for_end(operation, 240);
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(devices().status(10).second == 1);
}

BOOST_AUTO_TEST_CASE(a_scheduler_killed_during_the_reboot_wait_never_flashes_again) {
  Fleet fleet;
  const auto& sim = devices().device(11);
  const std::string device = fleet.add_device(sim);
  const std::string operation = fleet.upgrade(device, fleet.add_image(sim));
  wait_for_step(fleet, operation, "rebooting");
  kill_scheduler();
  const auto done = fleet.wait_for_end(operation, 240);
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(devices().status(11).second == 1);
}

// Regression (tests/chaos): a scheduler that died after recording "reconnected" but before
// writing the checksum file left a successor that ran the upgrade from the start and flashed the
// device a second time.
BOOST_AUTO_TEST_CASE(a_scheduler_killed_after_reconnecting_never_flashes_again) {
  Fleet fleet;
  const auto& sim = devices().device(13);
  const std::string device = fleet.add_device(sim);
  const std::string operation = fleet.upgrade(device, fleet.add_image(sim));
  wait_for_step(fleet, operation, "rebooting");
  stop_scheduler_hard();
  const Stack stack;
  const std::string id = str(json(fleet.get(operation)->body)["id"]);
  const auto [status, output] =
      stack.sql("UPDATE upgrade_operations SET step = 'reconnected', progress = 90 WHERE id = '" + id + "'");
  BOOST_REQUIRE_MESSAGE(status == 0, output);
  BOOST_REQUIRE(stack.control("scheduler-start") == 0);
  const auto done = fleet.wait_for_end(operation, 240);
  BOOST_TEST(str(done["status"]) == "success", str(done["log"]));
  BOOST_TEST(str(done["log"]).find("upgrade not needed") == std::string::npos);
  BOOST_TEST(devices().status(13).second == 1);
}

BOOST_AUTO_TEST_CASE(refreshing_device_info_reads_it_over_ssh) {
  Fleet fleet;
  const auto& sim = devices().device(2);
  const std::string device =
      Fleet::id_of(fleet.post("/api/v1/devices/", R"({"name":"refresh-me","management_ip":")" + str(sim["address"]) +
                                                      R"(","ssh_port":)" + std::to_string(sim["port"].GetInt()) + "}"));
  const std::string unreachable = fleet.add_device(devices().device(4));
  BOOST_TEST(fleet.post("/api/v1/devices/" + device + "/refresh/", "{}")->status == 202);
  BOOST_TEST(fleet.post("/api/v1/devices/" + unreachable + "/refresh/", "{}")->status == 202);
  const auto refreshed = [&fleet](const std::string& id) {
    for (int i = 0; i < 120; ++i) {
      auto record = json(fleet.get("/api/v1/devices/" + id + "/")->body);
      if (record["refreshed_at"].IsString()) {
        return record;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    BOOST_FAIL("device " << id << " was not refreshed");
    return rapidjson::Document();
  };
  const auto record = refreshed(device);
  BOOST_TEST(record["refresh_error"].IsNull(), str(record["refresh_error"]));
  BOOST_TEST(str(record["model"]) == str(sim["model"]));
  BOOST_TEST(str(record["board_name"]) == str(sim["board_name"]));
  BOOST_TEST(str(record["os"]).find("OpenWrt " + devices().status(2).first) == 0U, str(record["os"]));
  BOOST_TEST(record["memory_free_kb"].GetInt() > 0);
  BOOST_TEST(str(record["host_key"]).starts_with("ssh-"));
  const auto failed = refreshed(unreachable);
  BOOST_TEST(str(failed["refresh_error"]) == kCannotConnect);
  // Another organization cannot make a device refresh.
  BOOST_TEST(Fleet().post("/api/v1/devices/" + device + "/refresh/", "{}")->status == 404);
}

BOOST_AUTO_TEST_CASE(device_credentials_never_reach_a_log) {
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(Stack().state() + "/log")) {
    if (!entry.is_regular_file()) {
      continue;
    }
    ++files;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    BOOST_TEST(text.find(device_password()) == std::string::npos, entry.path());
  }
  BOOST_TEST(files >= 3U);  // api, scheduler, nginx at least
}
