// Shared by the functional tests that upgrade simulated devices: devsim devices with faults, and
// an organization (administrator token, auto-added credentials, a category) that registers them,
// uploads images for their boards and starts and follows upgrades.
#pragma once

#include <rapidjson/document.h>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

namespace fwhub::testing {

inline const std::string kUpgrader = "/api/v1/firmware-upgrader/";
inline const std::string kNewRevision = "r24012-d8dd03c46f";

// The simulated devices' root password: random per test program, it must never reach a log (it
// joins the run's list of secrets that functional_secrets_not_in_logs looks for).
inline const std::string& device_password() {
  static const std::string password = [] {
    std::string chosen = "Sim-Secret-" + fwhub::random_hex(6);
    Stack().remember_secret(chosen);
    return chosen;
  }();
  return password;
}

// Simulated devices (scripts/devsim) with faults, stopped when the object goes.
struct Devices {
  std::string state = "/tmp/fwhub-devsim-test-" + fwhub::random_hex(4);
  rapidjson::Document list;

  // count devices rebooting in reboot_seconds; faults: devsim's faults JSON ("{}" = none).
  Devices(int count, const std::string& faults, int reboot_seconds = 2) {
    std::filesystem::create_directories(state);
    std::ofstream(state + "/faults.json") << faults;
    const auto [status, output] =
        Stack::run(std::string(FWHUB_SOURCE_DIR) + "/scripts/devsim start --count " + std::to_string(count) +
                   " --state " + state + " --reboot-seconds " + std::to_string(reboot_seconds) + " --password " +
                   device_password() + " --faults " + state + "/faults.json --detach 2>" + state + "/start.log");
    BOOST_REQUIRE_MESSAGE(status == 0, "devsim start failed: " << output);
    list.Parse(output.c_str());
    BOOST_REQUIRE(list.IsArray() && list.Size() == static_cast<rapidjson::SizeType>(count));
  }
  ~Devices() {
    (void)Stack::run(std::string(FWHUB_SOURCE_DIR) + "/scripts/devsim stop --state " + state);
    std::error_code ignored;
    std::filesystem::remove_all(state, ignored);
  }
  Devices(const Devices&) = delete;
  Devices& operator=(const Devices&) = delete;

  const rapidjson::Value& device(int index) const { return list[static_cast<rapidjson::SizeType>(index)]; }

  // One device's entry of `devsim status --json`.
  rapidjson::Document status_json(int index) const {
    const auto [code, output] =
        Stack::run(std::string(FWHUB_SOURCE_DIR) + "/scripts/devsim status --json --state " + state);
    BOOST_REQUIRE(code == 0);
    auto all = json(output);
    rapidjson::Document entry;
    entry.CopyFrom(all[static_cast<rapidjson::SizeType>(index)], entry.GetAllocator());
    return entry;
  }

  // Version and flash count of a device.
  std::pair<std::string, int> status(int index) const {
    const auto entry = status_json(index);
    return {str(entry["version"]), entry.HasMember("flashes") ? entry["flashes"].GetInt() : 0};
  }

  // The services (and "wifi") stopped on a device now.
  std::vector<std::string> stopped_services(int index) const {
    const auto entry = status_json(index);
    std::vector<std::string> names;
    for (const auto& name : entry["stopped_services"].GetArray()) {
      names.emplace_back(name.GetString());
    }
    return names;
  }
};

// An organization with an administrator token, credentials for all its devices, one category.
struct Fleet {
  httplib::Client client = Stack().client();
  httplib::Headers auth;
  std::string category;
  std::string slug = "up" + fwhub::random_hex(4);

  Fleet() {
    admin_line("create-organization " + slug + " " + slug);
    admin_line("create-user " + slug + "-admin --organization " + slug + " --role admin", "adminpassword");
    const std::string token = admin_line("create-token " + slug + "-admin tests");
    auth = {{"Authorization", "Bearer " + token}};
    BOOST_REQUIRE(post("/api/v1/credentials/",
                       R"({"name":"root","username":"root","password":")" + device_password() + R"(","auto_add":true})")
                      ->status == 201);
    category = id_of(post(kUpgrader + "category/", R"({"name":"Sim"})"));
  }

  httplib::Result post(const std::string& path, const std::string& body) {
    return client.Post(path, auth, body, "application/json");
  }
  httplib::Result put(const std::string& path, const std::string& body) {
    return client.Put(path, auth, body, "application/json");
  }
  httplib::Result get(const std::string& path) { return client.Get(path, auth); }
  httplib::Result patch(const std::string& path, const std::string& body) {
    return client.Patch(path, auth, body, "application/json");
  }

  static std::string id_of(const httplib::Result& result) {
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 201, result->status << " " << result->body);
    return str(json(result->body)["id"]);
  }

  // The device in fwhub, pointing at a simulated one.
  std::string add_device(const rapidjson::Value& sim) {
    return id_of(post("/api/v1/devices/", R"({"name":")" + str(sim["name"]) + R"(","model":")" + str(sim["model"]) +
                                              R"(","board_name":")" + str(sim["board_name"]) +
                                              R"(","management_ip":")" + str(sim["address"]) + R"(","ssh_port":)" +
                                              std::to_string(sim["port"].GetInt()) + "}"));
  }

  // A new build of the category.
  std::string add_build() {
    return id_of(post(kUpgrader + "build/",
                      R"({"category":")" + category + R"(","version":")" + fwhub::random_hex(3) + R"("})"));
  }

  // An image for the simulated device's board in `build` (padding makes it bigger); type ""
  // = one per device name.
  std::string upload_image(const std::string& build, const rapidjson::Value& sim, std::string type = "",
                           int padding_kb = 0, std::string file_name = "") {
    const std::string path = "/tmp/fwhub-upgrade-image-" + fwhub::random_hex(6) + ".bin";
    const std::string line = "python3 -c \"import os, sys; sys.path.insert(0, '" FWHUB_SOURCE_DIR
                             "/tests/doubles'); import openwrt_image as o; "
                             "img = o.build_image({'etc/banner': 'new', 'usr/pad': os.urandom(" +
                             std::to_string(padding_kb * 1024) + ")}, o.metadata(['" + str(sim["board_name"]) +
                             "'], '23.05.4', '" + kNewRevision + "', '" + str(sim["target"]) +
                             "', 'x')); img = img[0] if isinstance(img, tuple) else img; open('" + path +
                             "', 'wb').write(img)\"";
    BOOST_REQUIRE(Stack::run(line).first == 0);
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::filesystem::remove(path);
    if (type.empty()) {
      type = "sim-" + str(sim["name"]) + "-squashfs-sysupgrade.bin";
    }
    if (file_name.empty()) {
      file_name = "sim-" + fwhub::random_hex(3) + "-sysupgrade.bin";
    }
    const httplib::MultipartFormDataItems items = {{"file", bytes, file_name, "application/octet-stream"},
                                                   {"type", type, "", ""}};
    return id_of(client.Post(kUpgrader + "build/" + build + "/image/", auth, items));
  }

  // A build with an image for the simulated device's board.
  std::string add_image(const rapidjson::Value& sim, int padding_kb = 0, const std::string& file_name = "") {
    return upload_image(add_build(), sim, "", padding_kb, file_name);
  }

  // PUT device firmware; returns the operation's path from Location.
  std::string upgrade(const std::string& device, const std::string& image, const std::string& options = "") {
    const auto result =
        put(kUpgrader + "device/" + device + "/firmware/",
            R"({"image":")" + image + "\"" + (options.empty() ? "" : ",\"upgrade_options\":" + options) + "}");
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 201 || result->status == 200, result->body);
    std::string location = result->get_header_value("Location");
    BOOST_REQUIRE(!location.empty());
    return location;
  }

  // Polls the operation until it is no longer in progress.
  rapidjson::Document wait_for_end(const std::string& operation, int seconds = 120) {
    for (int i = 0; i < seconds * 4; ++i) {
      auto document = json(get(operation)->body);
      if (str(document["status"]) != "in-progress") {
        return document;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    BOOST_FAIL("operation " << operation << " still in progress after " << seconds << " s: " << get(operation)->body);
    return {};
  }
};

}  // namespace fwhub::testing
