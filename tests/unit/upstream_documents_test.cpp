// Upstream document parsers and branch rules: good input, ABI names, and malformed documents.
#define BOOST_TEST_MODULE upstream_documents
#include <boost/test/unit_test.hpp>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/branches.hpp"
#include "fwhub/domain/catalog/upstream_documents.hpp"

using namespace fwhub;
using namespace fwhub::domain::catalog;

namespace {

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.what();
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(versions_file) {
  const auto file = parse_versions_file(
      R"({"stable_version":"23.05.4","versions_list":["23.05.4","19.07.10"],"image_url_override":"x"})");
  BOOST_TEST(file.stable_version == "23.05.4");
  BOOST_TEST(file.upcoming_version.empty());
  BOOST_TEST(file.versions_list.size() == 2U);
  BOOST_TEST(error_of([] { parse_versions_file("{"); }).find(".versions.json: not valid JSON") == 0U);
  BOOST_TEST(error_of([] { parse_versions_file("[]"); }) == ".versions.json: expected a JSON object");
  BOOST_TEST(error_of([] { parse_versions_file(R"({"versions_list":[]})"); }) ==
             ".versions.json: missing \"stable_version\"");
  BOOST_TEST(error_of([] { parse_versions_file(R"({"stable_version":"1","versions_list":[1]})"); }) ==
             ".versions.json: \"versions_list\" must hold strings");
}

BOOST_AUTO_TEST_CASE(targets_file) {
  const auto targets = parse_targets_file(R"({"ath79/generic":"mips_24kc","x86/64":"x86_64"})");
  BOOST_TEST(targets.at("x86/64") == "x86_64");
  BOOST_TEST(!error_of([] { parse_targets_file(R"({"ath79":"mips_24kc"})"); }).empty());
}

BOOST_AUTO_TEST_CASE(profiles_file) {
  const auto file = parse_profiles_file(R"({"target":"ath79/generic","arch_packages":"mips_24kc",
    "version_code":"r1-abc","version_number":"23.05.4","metadata_version":1,
    "profiles":{"tplink_archer-c7-v5":{"titles":[{"vendor":"TP-Link","model":"Archer C7","variant":"v5"}],
      "supported_devices":["tplink,archer-c7-v5","archer-c7-v5"]},"bare":{}}})");
  BOOST_TEST(file.version_code == "r1-abc");
  BOOST_REQUIRE(file.profiles.size() == 2U);
  const auto& profile = file.profiles[0];  // upstream order is kept
  BOOST_TEST(profile.id == "tplink_archer-c7-v5");
  BOOST_TEST(profile.supported_devices.size() == 2U);
  BOOST_TEST(profile.titles_json.find("Archer C7") != std::string::npos);
  BOOST_TEST(file.profiles[1].titles_json == "[]");
  BOOST_TEST(error_of([] { parse_profiles_file(R"({"target":"a/b"})"); }) ==
             "profiles.json: missing \"arch_packages\"");
  BOOST_TEST(!error_of([] {
                parse_profiles_file(
                    R"({"target":"a/b","arch_packages":"x","version_code":"r","version_number":"1","profiles":[]})");
              }).empty());
}

BOOST_AUTO_TEST_CASE(sha256sums) {
  const std::string a(64, 'a');
  const std::string b(64, 'b');
  const auto sums = parse_sha256sums(a + " *profiles.json\n" + b + "  packages/Packages\n\n");
  BOOST_TEST(sums.at("profiles.json") == a);
  BOOST_TEST(sums.at("packages/Packages") == b);
  BOOST_TEST(!error_of([] { parse_sha256sums("nothex *file\n"); }).empty());
}

BOOST_AUTO_TEST_CASE(packages_index_strips_abi_versions) {
  const auto packages = parse_packages_index(
      "Package: libubus20230605\nVersion: 2023-06-05-f787c97b-1\nABIVersion: 20230605\nDepends: libc\n"
      "Description: a\n multi-line\n description\n\n"
      "Package: tcpdump\r\nVersion: 4.99.4-1\r\n\r\n"
      "Package: libjson-c5\nABIVersion: 5\nVersion: 0.16-3\n");
  BOOST_REQUIRE(packages.size() == 3U);
  BOOST_TEST(packages[0].name == "libubus");
  BOOST_TEST(packages[0].version == "2023-06-05-f787c97b-1");
  BOOST_TEST(packages[1].name == "tcpdump");
  BOOST_TEST(packages[2].name == "libjson-c");
  // Regression (fuzz target packages_index): a name that is only "-" and the ABI version lost
  // everything and became an empty package name.
  const auto bare = parse_packages_index("Package: -20130104\nABIVersion: 20130104\nVersion: 1\n");
  BOOST_REQUIRE(bare.size() == 1U);
  BOOST_TEST(bare[0].name == "-20130104");
  BOOST_TEST(parse_packages_index("").empty());
  BOOST_TEST(error_of([] { parse_packages_index("Package: x\n\n"); }) ==
             "Packages: a stanza lacks Package or Version (x)");
  BOOST_TEST(!error_of([] { parse_packages_index("garbage line\n"); }).empty());
}

BOOST_AUTO_TEST_CASE(branches_of_versions) {
  const auto branches = default_branches();
  BOOST_TEST(branch_of("23.05.4", branches) == "23.05");
  BOOST_TEST(branch_of("23.05.0-rc1", branches) == "23.05");
  BOOST_TEST(branch_of("23.05-SNAPSHOT", branches) == "23.05");
  BOOST_TEST(branch_of("SNAPSHOT", branches) == "SNAPSHOT");
  BOOST_TEST(version_path("SNAPSHOT", branches) == "snapshots");
  BOOST_TEST(version_path("19.07.10", branches) == "releases/19.07.10");
  BOOST_TEST(find_branch("18.06.9", branches) == nullptr);
  const auto wanted = wanted_versions({"23.05.4", "18.06.9", "19.07.10"}, branches);
  BOOST_TEST(wanted == (std::vector<std::string>{"SNAPSHOT", "23.05.4", "19.07.10"}), boost::test_tools::per_element());
}

// Found while writing the fuzz targets: RapidJSON's recursive parser overflowed the stack on deeply nested input,
// so a hostile or broken download server could crash the scheduler's catalog sync.
BOOST_AUTO_TEST_CASE(deep_nesting_is_malformed_not_a_crash) {
  const std::string deep(1'000'000, '[');
  BOOST_TEST(error_of([&] { parse_versions_file(deep); }).starts_with(".versions.json: not valid JSON"));
  BOOST_TEST(error_of([&] { parse_profiles_file(deep); }).starts_with("profiles.json: not valid JSON"));
  BOOST_TEST(error_of([&] { parse_targets_file(deep); }).starts_with(".targets.json: not valid JSON"));
}
