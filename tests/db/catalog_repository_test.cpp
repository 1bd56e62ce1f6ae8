// Catalog repository: targets replace atomically, board-name lookups, package scopes, removals,
// validators, documents and the generation counter.
#define BOOST_TEST_MODULE catalog_repository
#include <boost/test/unit_test.hpp>

#include "fwhub/db/catalog_repository.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using namespace fwhub::domain::catalog;
using fwhub::testing::TestDatabase;

namespace {

struct Fixture {
  TestDatabase database;
  std::unique_ptr<db::Connection> connection;
  std::unique_ptr<db::CatalogRepository> catalog;

  Fixture() {
    database.migrate();
    connection = std::make_unique<db::Connection>(database.config());
    catalog = std::make_unique<db::CatalogRepository>(*connection);
    catalog->save_version({"23.05.4", "23.05", "releases/23.05.4"});
    catalog->save_target(target("ath79/generic", "r1"));
  }

  static TargetRecord target(const std::string& name, const std::string& code) {
    TargetRecord record;
    record.version = "23.05.4";
    record.target = name;
    record.arch = "mips_24kc";
    record.version_code = code;
    record.profiles_json = R"({"profiles":{}})";
    record.profiles = {{"tplink_archer-c7-v5", "[]", {"tplink,archer-c7-v5", "archer-c7-v5"}},
                       {"glinet_gl-ar300m16", "[]", {"glinet,gl-ar300m16"}}};
    record.packages = {{"kmod-ath10k-ct", "5.15.162-1"}, {"kmod-usb2", "5.15.162-1"}};
    return record;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(profiles_are_found_by_id_and_board_names, Fixture) {
  for (const char* name : {"tplink_archer-c7-v5", "tplink,archer-c7-v5", "archer-c7-v5"}) {
    BOOST_TEST(catalog->find_profile("23.05.4", "ath79/generic", name).value_or("") == "tplink_archer-c7-v5");
  }
  BOOST_TEST(catalog->find_profile("23.05.4", "ath79/generic", "glinet_gl-ar300m16").value_or("") ==
             "glinet_gl-ar300m16");
  BOOST_TEST(!catalog->find_profile("23.05.4", "ath79/generic", "nope").has_value());
  BOOST_TEST(!catalog->find_profile("23.05.4", "ath79/nand", "archer-c7-v5").has_value());
  BOOST_TEST(catalog->version_code("23.05.4", "ath79/generic").value_or("") == "r1");
  BOOST_TEST(catalog->has_version("23.05.4"));
  BOOST_TEST(!catalog->has_version("23.05.3"));
}

BOOST_FIXTURE_TEST_CASE(saving_a_target_again_replaces_it, Fixture) {
  auto record = target("ath79/generic", "r2");
  record.profiles.pop_back();
  record.packages = {{"kmod-new", "1"}};
  catalog->save_target(record);
  BOOST_TEST(catalog->version_code("23.05.4", "ath79/generic").value_or("") == "r2");
  BOOST_TEST(!catalog->find_profile("23.05.4", "ath79/generic", "glinet,gl-ar300m16").has_value());
  const auto packages = catalog->packages("23.05.4", "target:ath79/generic");
  BOOST_TEST(packages.size() == 1U);
  BOOST_TEST(packages.at("kmod-new") == "1");
}

BOOST_FIXTURE_TEST_CASE(package_scopes, Fixture) {
  catalog->save_packages("23.05.4", "feed:mips_24kc/base", {{"busybox", "1.36.1-1"}});
  catalog->save_packages("23.05.4", "feed:mips_24kc/luci", {{"luci", "23.051"}});
  BOOST_TEST(catalog->packages("23.05.4", "feed:mips_24kc/").size() == 2U);
  catalog->save_packages("23.05.4", "feed:mips_24kc/luci", {});
  BOOST_TEST(catalog->packages("23.05.4", "feed:mips_24kc/").size() == 1U);
  BOOST_TEST(catalog->packages("23.05.4", "target:").size() == 2U);
}

BOOST_FIXTURE_TEST_CASE(large_targets_are_written_in_batches, Fixture) {
  auto record = target("ramips/mt7621", "r1");
  record.packages.clear();
  for (int i = 0; i < 1700; ++i) {
    record.packages.push_back({"kmod-" + std::to_string(i), "1"});
  }
  catalog->save_target(record);
  BOOST_TEST(catalog->packages("23.05.4", "target:ramips/mt7621").size() == 1700U);
}

BOOST_FIXTURE_TEST_CASE(removals_take_everything_of_a_target_or_version, Fixture) {
  catalog->save_target(target("ath79/nand", "r1"));
  catalog->remove_targets_except("23.05.4", {"ath79/nand"});
  BOOST_TEST(catalog->targets("23.05.4").size() == 1U);
  BOOST_TEST(!catalog->find_profile("23.05.4", "ath79/generic", "archer-c7-v5").has_value());
  catalog->remove_versions_except({});
  BOOST_TEST(catalog->versions().empty());
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM catalog_packages") == "0");
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM catalog_board_names") == "0");
}

BOOST_FIXTURE_TEST_CASE(validators_documents_and_generation, Fixture) {
  BOOST_TEST(!catalog->validators("http://x/.versions.json").has_value());
  catalog->save_validators("http://x/.versions.json", {"\"abc\"", "Tue, 24 Nov 2026 15:01:14 GMT"});
  catalog->save_validators("http://x/.versions.json", {"\"def\"", ""});
  BOOST_TEST(catalog->validators("http://x/.versions.json")->etag == "\"def\"");
  catalog->save_document(".versions.json", "{}");
  BOOST_TEST(catalog->document(".versions.json").value_or("") == "{}");
  const long before = catalog->generation();
  catalog->bump_generation();
  BOOST_TEST(catalog->generation() == before + 1);
}
