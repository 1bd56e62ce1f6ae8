// Catalog publisher: the documents OpenWrt's clients read, with their exact shapes.
#define BOOST_TEST_MODULE catalog_publisher
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "fwhub/service/catalog_publisher.hpp"
#include "fwhub/service/catalog_sync.hpp"
#include "support/fake_catalog_store.hpp"

using namespace fwhub;
using namespace fwhub::testing;

namespace {

const std::string kProfiles = R"({"metadata_version":1,"target":"ath79/generic","arch_packages":"mips_24kc",
  "version_code":"r24012-d8dd03c46f","version_number":"23.05.4","source_date_epoch":1721081658,
  "default_packages":["base-files","dnsmasq"],
  "profiles":{
    "tplink_archer-c7-v5":{"titles":[{"vendor":"TP-Link","model":"Archer C7","variant":"v5"}],
      "supported_devices":["tplink,archer-c7-v5","archer-c7-v5"],"device_packages":["kmod-ath10k-ct"],
      "image_prefix":"openwrt-23.05.4-ath79-generic-tplink_archer-c7-v5",
      "images":[{"name":"s.bin","type":"sysupgrade","filesystem":"squashfs","sha256":"a","sha256_unsigned":"b"}]},
    "glinet_x":{"titles":[{"vendor":"GL.iNet","model":"X"}],"supported_devices":["glinet,x","tplink_archer-c7-v5"]}}})";

struct Fixture {
  FakeCatalogStore store;
  FakeUpstream upstream;
  MemorySink sink;
  CatalogConfig catalog;
  BuildConfig build;

  Fixture() {
    catalog.upstream_url = "http://127.0.0.1:9/mirror";
    catalog.feeds = {"base"};
    catalog.branches = {
        {"23.05", true, false, 23069, "", {{"firewall", "firewall4", 18611, false}, {"auc", "owut", 26792, false}}}};
    build.contact = "ops@example.org";
    upstream.files[".versions.json"] =
        R"({"stable_version":"23.05.4","oldstable_version":"19.07.10","versions_list":["23.05.4","19.07.10"]})";
    upstream.files["releases/23.05.4/.targets.json"] = R"({"ath79/generic":"mips_24kc"})";
    upstream.files["releases/23.05.4/targets/ath79/generic/sha256sums"] = "";
    upstream.files["releases/23.05.4/targets/ath79/generic/profiles.json"] = kProfiles;
    upstream.files["releases/23.05.4/targets/ath79/generic/packages/Packages"] = "Package: kmod-x\nVersion: 1\n";
    upstream.files["releases/23.05.4/packages/mips_24kc/base/Packages"] = "Package: tcpdump\nVersion: 4.99.4-1\n";
    service::CatalogSync(upstream, store, catalog).run();
    BOOST_REQUIRE(service::CatalogPublisher(store, sink, catalog, build).publish_if_stale().has_value());
  }

  rapidjson::Document json(const std::string& path) {
    BOOST_REQUIRE_MESSAGE(sink.files.contains(path), "not published: " << path);
    rapidjson::Document document;
    document.Parse(sink.files.at(path).c_str());
    BOOST_REQUIRE(!document.HasParseError());
    return document;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(branches_have_the_fields_clients_require, Fixture) {
  const auto branches = json("json/v1/branches.json");
  BOOST_REQUIRE(branches.IsArray() && branches.Size() == 1U);
  const auto& branch = branches[0];
  BOOST_TEST(std::string(branch["name"].GetString()) == "23.05");
  BOOST_TEST(branch["enabled"].GetBool());
  BOOST_TEST(std::string(branch["path"].GetString()) == "releases/{version}");
  BOOST_TEST(std::string(branch["path_packages"].GetString()) == "DEPRECATED");
  BOOST_TEST(branch["branch_off_rev"].GetInt() == 23069);
  BOOST_TEST(std::string(branch["versions"][0].GetString()) == "23.05.4");
  BOOST_TEST(std::string(branch["targets"]["ath79/generic"].GetString()) == "mips_24kc");
  // Only changes made before the branch left master.
  BOOST_REQUIRE(branch["package_changes"].Size() == 1U);
  BOOST_TEST(std::string(branch["package_changes"][0]["target"].GetString()) == "firewall4");
}

BOOST_FIXTURE_TEST_CASE(overview_and_latest, Fixture) {
  const auto overview = json("json/v1/overview.json");
  BOOST_TEST(std::string(overview["latest"][0].GetString()) == "23.05.4");
  BOOST_TEST(overview["latest"].Size() == 1U);  // 19.07.10 is not served here
  BOOST_TEST(overview["branches"]["23.05"]["path_packages"].IsString());
  BOOST_TEST(std::string(overview["upstream_url"].GetString()) == "http://127.0.0.1:9/mirror");
  BOOST_TEST(std::string(overview["server"]["contact"].GetString()) == "ops@example.org");
  BOOST_TEST(overview["server"]["max_defaults_length"].GetInt() == 20480);
  BOOST_TEST(!overview["server"]["allow_defaults"].GetBool());
  BOOST_TEST(json("json/v1/latest.json")["latest"].Size() == 1U);
}

BOOST_FIXTURE_TEST_CASE(profile_documents_merge_target_and_profile, Fixture) {
  const std::string dir = "json/v1/releases/23.05.4/targets/ath79/generic/";
  const auto profile = json(dir + "tplink_archer-c7-v5.json");
  BOOST_TEST(profile["metadata_version"].GetInt() == 1);
  BOOST_TEST(std::string(profile["target"].GetString()) == "ath79/generic");
  BOOST_TEST(std::string(profile["arch_packages"].GetString()) == "mips_24kc");
  BOOST_TEST(std::string(profile["version_code"].GetString()) == "r24012-d8dd03c46f");
  BOOST_TEST(std::string(profile["version_number"].GetString()) == "23.05.4");
  BOOST_TEST(std::string(profile["id"].GetString()) == "tplink_archer-c7-v5");
  BOOST_TEST(std::string(profile["build_at"].GetString()) == "2024-07-15T22:14:18.000000Z");
  BOOST_TEST(profile["images"].Size() == 1U);
  BOOST_TEST(profile["default_packages"].Size() == 2U);
  BOOST_TEST(!profile.HasMember("profiles"));
  // Board names with ',' and '_' lead to the same document; a board name never shadows an id.
  BOOST_TEST(sink.files.at(dir + "tplink,archer-c7-v5.json") == sink.files.at(dir + "tplink_archer-c7-v5.json"));
  BOOST_TEST(sink.files.at(dir + "archer-c7-v5.json") == sink.files.at(dir + "tplink_archer-c7-v5.json"));
  BOOST_TEST(std::string(json(dir + "glinet_x.json")["id"].GetString()) == "glinet_x");
  BOOST_TEST(std::string(json(dir + "glinet,x.json")["id"].GetString()) == "glinet_x");
}

BOOST_FIXTURE_TEST_CASE(package_indexes, Fixture) {
  const auto index = json("json/v1/releases/23.05.4/targets/ath79/generic/index.json");
  BOOST_TEST(std::string(index["architecture"].GetString()) == "mips_24kc");
  BOOST_TEST(std::string(index["packages"]["kmod-x"].GetString()) == "1");
  const auto arch = json("json/v1/releases/23.05.4/packages/mips_24kc-index.json");
  BOOST_TEST(std::string(arch["tcpdump"].GetString()) == "4.99.4-1");
}

BOOST_FIXTURE_TEST_CASE(download_server_layout, Fixture) {
  const auto versions = json(".versions.json");
  BOOST_TEST(std::string(versions["stable_version"].GetString()) == "23.05.4");
  BOOST_TEST(!versions.HasMember("oldstable_version"));
  BOOST_TEST(versions["versions_list"].Size() == 1U);
  BOOST_TEST(std::string(versions["image_url_override"].GetString()) == "http://127.0.0.1:9/mirror");
  const auto overview = json("releases/23.05.4/.overview.json");
  BOOST_TEST(std::string(overview["release"].GetString()) == "23.05.4");
  BOOST_REQUIRE(overview["profiles"].Size() == 2U);
  BOOST_TEST(std::string(overview["profiles"][0]["target"].GetString()) == "ath79/generic");
  BOOST_TEST(overview["profiles"][0]["titles"].IsArray());
  BOOST_TEST(sink.files.at("releases/23.05.4/targets/ath79/generic/profiles.json") == kProfiles);
}

BOOST_FIXTURE_TEST_CASE(publishes_only_when_the_catalog_changed, Fixture) {
  BOOST_TEST(!service::CatalogPublisher(store, sink, catalog, build).publish_if_stale().has_value());
  store.bump_generation();
  const auto report = service::CatalogPublisher(store, sink, catalog, build).publish_if_stale();
  BOOST_REQUIRE(report.has_value());
  BOOST_TEST(report->generation == store.generation());
  BOOST_TEST(report->files == static_cast<int>(sink.files.size()));
}
