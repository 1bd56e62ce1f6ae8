// The ImageBuilder protocol: `make info` and `make manifest` parsing, the PACKAGES argument,
// opkg's errors turned into ASU's messages, and the assembled build result.
#define BOOST_TEST_MODULE imagebuilder
#include <rapidjson/document.h>
#include <boost/test/unit_test.hpp>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/build/imagebuilder.hpp"

using namespace fwhub::domain::build;

namespace {

constexpr const char* kInfo = R"(Current Target: "ath79/generic"
Current Architecture: "mips"
Current Revision: "r24012-d8dd03c46f"
Default Packages: base-files busybox dnsmasq dropbear wpad-basic-mbedtls
Available Profiles:

tplink_archer-c7-v5:
    TP-Link Archer C7 v5
    Packages: kmod-usb2 kmod-ath10k-ct -swconfig
    hasImageMetadata: 1
    SupportedDevices: tplink,archer-c7-v5 archer-c7-v5
8dev_lima:
    8devices Lima
    Packages:
    hasImageMetadata: 1
)";

BuildRequest request_with(std::vector<std::string> packages, bool diff) {
  BuildRequest request;
  request.version = "23.05.4";
  request.target = "ath79/generic";
  request.profile = "tplink_archer-c7-v5";
  request.packages = std::move(packages);
  request.diff_packages = diff;
  return request;
}

}  // namespace

BOOST_AUTO_TEST_CASE(make_info_gives_revision_defaults_and_device_packages) {
  const auto info = parse_make_info(kInfo);
  BOOST_TEST(info.revision == "r24012-d8dd03c46f");
  BOOST_TEST(info.default_packages.size() == 5U);
  BOOST_TEST(info.default_packages[2] == "dnsmasq");
  BOOST_REQUIRE(info.profile_packages.contains("tplink_archer-c7-v5"));
  BOOST_TEST(info.profile_packages.at("tplink_archer-c7-v5").size() == 3U);
  BOOST_REQUIRE(info.profile_packages.contains("8dev_lima"));
  BOOST_TEST(info.profile_packages.at("8dev_lima").empty());
  BOOST_TEST(revision_number(info.revision) == 24012);
  BOOST_TEST(revision_number("unknown") == 0);
}

BOOST_AUTO_TEST_CASE(packages_pass_through_without_diff) {
  const auto info = parse_make_info(kInfo);
  const auto arguments =
      package_arguments(request_with({"luci", "-dnsmasq", "dnsmasq-full"}, false), info, "tplink_archer-c7-v5", {});
  BOOST_TEST(arguments == (std::vector<std::string>{"luci", "-dnsmasq", "dnsmasq-full"}));
}

BOOST_AUTO_TEST_CASE(diff_packages_removes_every_default_not_requested) {
  const auto info = parse_make_info(kInfo);
  const auto arguments =
      package_arguments(request_with({"busybox", "dropbear", "luci"}, true), info, "tplink_archer-c7-v5", {});
  // Defaults and device packages not asked for go first, removal entries of the profile are skipped.
  const std::vector<std::string> expected = {
      "-base-files", "-dnsmasq", "-wpad-basic-mbedtls", "-kmod-usb2", "-kmod-ath10k-ct", "busybox", "dropbear", "luci"};
  BOOST_TEST(arguments == expected);
}

BOOST_AUTO_TEST_CASE(branch_package_changes_apply_from_their_revision) {
  const auto info = parse_make_info(kInfo);
  fwhub::PackageChange renamed;
  renamed.source = "auc";
  renamed.target = "owut";
  renamed.revision = 24000;
  fwhub::PackageChange later;
  later.source = "luci";
  later.target = "";
  later.revision = 30000;
  const auto arguments =
      package_arguments(request_with({"auc", "luci"}, false), info, "tplink_archer-c7-v5", {renamed, later});
  BOOST_TEST(arguments == (std::vector<std::string>{"owut", "luci"}));
}

BOOST_AUTO_TEST_CASE(manifest_lines_become_name_version_pairs) {
  const auto manifest = parse_manifest(
      "base-files - 1555-r24012-d8dd03c46f\nlibubus - 2023-06-05-f787c97b-1\n"
      "make: Leaving directory\n");
  BOOST_TEST(manifest.size() == 2U);
  BOOST_TEST(manifest.at("libubus") == "2023-06-05-f787c97b-1");
}

BOOST_AUTO_TEST_CASE(opkg_errors_become_asu_messages) {
  BOOST_TEST(manifest_error("",
                            "Collected errors:\n * opkg_install_cmd: Cannot install package nope.\n"
                            " * opkg_install_cmd: Cannot install package other.\n") ==
             "Error: Impossible package selection: missing (nope, other)");
  BOOST_TEST(manifest_error("",
                            "Collected errors:\n * check_conflicts_for: The following packages conflict with "
                            "dnsmasq-full:\n * check_conflicts_for: \tdnsmasq \n"
                            " * opkg_install_cmd: Cannot install package dnsmasq-full.\n") ==
             "Error: Impossible package selection: conflicts (dnsmasq-full, dnsmasq)");
  BOOST_TEST(manifest_error("", "something else") == "Error: Impossible package selection");
  BOOST_TEST(image_error("", "WARNING: Image file x.bin is too big:  107087454 > 33554432\n") ==
             "Error: Selected packages exceed device storage");
  BOOST_TEST(image_error("", "make: *** [Makefile:18: image] Error 1") ==
             "Error: Error while building firmware. See stdout/stderr");
}

BOOST_AUTO_TEST_CASE(the_last_output_line_is_one_printable_line) {
  BOOST_TEST(last_output_line("first\nsignify-openbsd: write to k.sec: No space left on device\n\n") ==
             "signify-openbsd: write to k.sec: No space left on device");
  BOOST_TEST(last_output_line("only") == "only");
  BOOST_TEST(last_output_line(" \n\n").empty());
  BOOST_TEST(last_output_line("a\n\x1b[31mred\x7f\tx") == "?[31mred??x");
  BOOST_TEST(last_output_line(std::string(500, 'x')).size() == 200U);
}

// Regression (tests/chaos): a full disk or an unreachable mirror was reported as the request's
// fault ("Impossible package selection", "Error while building firmware").
BOOST_AUTO_TEST_CASE(failures_of_the_build_server_say_so) {
  const std::string full = "OSError: [Errno 28] No space left on device\nmake: *** [Makefile:18: image] Error 1";
  BOOST_TEST(image_error("", full) == "Error: No space left on device on the build server");
  BOOST_TEST(manifest_error("", full) == "Error: No space left on device on the build server");
  const std::string download =
      " * opkg_download: Failed to download http://mirror/releases/23.05.4/packages/mips_24kc/base/Packages.gz,"
      " wget returned 8.\n";
  BOOST_TEST(manifest_error("", download) ==
             "Error: The build server could not download a package index: "
             "http://mirror/releases/23.05.4/packages/mips_24kc/base/Packages.gz, wget returned 8.");
  BOOST_TEST(server_error("", "Collected errors:\n * opkg_install_cmd: Cannot install package nope.\n").empty());
}

BOOST_AUTO_TEST_CASE(pinned_versions_are_checked_against_the_manifest) {
  const std::map<std::string, std::string> manifest = {{"luci", "23.1"}, {"tcpdump", "4.9"}};
  BOOST_TEST(check_versions({{"luci", "23.1"}}, manifest).empty());
  BOOST_TEST(check_versions({{"luci", "24.0"}}, manifest) ==
             "Error: Impossible package selection: luci version not as requested: 24.0 vs. 23.1");
  BOOST_TEST(check_versions({{"curl", "8"}}, manifest) == "Error: Impossible package selection: missing (curl)");
}

BOOST_AUTO_TEST_CASE(extra_image_name_ignores_package_order) {
  BOOST_TEST(extra_image_name({"b", "a"}) == extra_image_name({"a", "b"}));
  BOOST_TEST(extra_image_name({"a"}) != extra_image_name({"a", "b"}));
  BOOST_TEST(extra_image_name({"a"}).size() == 12U);
}

BOOST_AUTO_TEST_CASE(result_flattens_the_profile_and_adds_the_build_facts) {
  const std::string profiles = R"({"target":"ath79/generic","version_code":"r1-a","profiles":{"p1":{"images":[
    {"name":"x.bin","type":"sysupgrade","sha256":"aa"}],"titles":[]}}})";
  const std::string result = build_result(profiles, "p1", {{"luci", "1"}}, "abc", {"make", "image"},
                                          R"({"profile":"p1"})", "2026-11-25T00:00:00.000000Z");
  rapidjson::Document document;
  document.Parse(result.c_str());
  BOOST_REQUIRE(document.IsObject());
  BOOST_TEST(document["images"][0]["name"].GetString() == std::string("x.bin"));
  BOOST_TEST(document["target"].GetString() == std::string("ath79/generic"));
  BOOST_TEST(!document.HasMember("profiles"));
  BOOST_TEST(document["manifest"]["luci"].GetString() == std::string("1"));
  BOOST_TEST(document["bin_dir"].GetString() == std::string("abc"));
  BOOST_TEST(document["id"].GetString() == std::string("p1"));
  BOOST_TEST(document["build_cmd"].Size() == 2U);
  BOOST_TEST(document["request"]["profile"].GetString() == std::string("p1"));
  BOOST_CHECK_THROW(build_result("", "p1", {}, "abc", {}, "{}", ""), fwhub::Error);
  BOOST_CHECK_THROW(build_result(profiles, "p2", {}, "abc", {}, "{}", ""), fwhub::Error);
}
