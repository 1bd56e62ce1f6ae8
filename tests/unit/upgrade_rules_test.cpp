// Upgrade rules without devices: sysupgrade options and their command line, the image's path on
// the device, and reading what OpenWrt prints (/etc/openwrt_release, /proc/meminfo), hostile output included.
#define BOOST_TEST_MODULE upgrade_rules
#include <boost/test/unit_test.hpp>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/upgrade/device_output.hpp"
#include "fwhub/domain/upgrade/image_path.hpp"
#include "fwhub/domain/upgrade/upgrade_options.hpp"

using namespace fwhub::domain::upgrade;

BOOST_AUTO_TEST_CASE(default_options_keep_the_configuration) {
  const auto options = parse_upgrade_options("");
  BOOST_TEST(sysupgrade_command(options, "/tmp/x.bin") == "/sbin/sysupgrade -v -c /tmp/x.bin");
  BOOST_TEST(options_json(options) == R"({"c":true,"o":false,"n":false,"u":false,"p":false,"k":false,"F":false})");
}

// Regression: an image uploaded as "image (1).bin" (a browser's second download) could not be
// uploaded to a device (the operation stayed in progress), and the memory step's `rm -f` ran what
// a name held in `$(...)` on the device.
BOOST_AUTO_TEST_CASE(the_image_path_on_the_device_is_one_plain_word) {
  BOOST_TEST(image_path_on_device("openwrt-23.05.4-ath79-generic-sysupgrade.bin") ==
             "/tmp/openwrt-23.05.4-ath79-generic-sysupgrade.bin");
  BOOST_TEST(image_path_on_device("image (1).bin") == "/tmp/image__1_.bin");
  BOOST_TEST(image_path_on_device("a;reboot $(id)`x`'\"") == "/tmp/a_reboot___id__x___");
  BOOST_TEST(image_path_on_device("gerät+v2.bin") == "/tmp/ger__t+v2.bin");
}

BOOST_AUTO_TEST_CASE(flags_reach_the_command_in_sysupgrade_order) {
  const auto options = parse_upgrade_options(R"({"F":true,"c":false,"n":true,"k":true})");
  BOOST_TEST(sysupgrade_command(options, "/tmp/x.bin") == "/sbin/sysupgrade -v -n -k -F /tmp/x.bin");
}

BOOST_AUTO_TEST_CASE(conflicting_or_unknown_options_are_refused) {
  const auto message = [](const std::string& json) {
    try {
      (void)parse_upgrade_options(json);
    } catch (const fwhub::Error& error) {
      return std::string(error.what());
    }
    return std::string("accepted");
  };
  BOOST_TEST(message(R"({"n":true})") == "The \"-n\" and \"-c\" options cannot be used together");
  BOOST_TEST(message(R"({"n":true,"c":false,"o":true})") == "The \"-n\" and \"-o\" options cannot be used together");
  BOOST_TEST(message(R"({"x":true})") == "unknown upgrade option \"x\" (known: c, o, n, u, p, k, F)");
  BOOST_TEST(message(R"({"c":"yes"})") == "upgrade option \"c\" must be true or false");
  BOOST_TEST(message("[1]") == "upgrade_options must be a JSON object of sysupgrade flags");
  BOOST_TEST(message(R"({"n":true,"c":false})") == "accepted");
}

BOOST_AUTO_TEST_CASE(openwrt_release_is_read_with_its_quotes) {
  const auto release = parse_openwrt_release(
      "DISTRIB_ID='OpenWrt'\nDISTRIB_RELEASE='23.05.4'\nDISTRIB_REVISION=\"r24012-d8dd03c46f\"\n"
      "DISTRIB_DESCRIPTION='OpenWrt 23.05.4 r24012-d8dd03c46f'\r\ngarbage line\n=\n");
  BOOST_TEST(release.at("DISTRIB_RELEASE") == "23.05.4");
  BOOST_TEST(release.at("DISTRIB_REVISION") == "r24012-d8dd03c46f");
  BOOST_TEST(release.at("DISTRIB_DESCRIPTION") == "OpenWrt 23.05.4 r24012-d8dd03c46f");
  BOOST_TEST(!release.contains("garbage line"));
}

BOOST_AUTO_TEST_CASE(available_memory_prefers_memavailable) {
  BOOST_TEST(available_memory("MemTotal: 125000 kB\nMemFree: 1000 kB\nMemAvailable: 64000 kB\n").value() ==
             64000U * 1024U);
  BOOST_TEST(available_memory("MemTotal: 125000 kB\nMemFree:    2000 kB\n").value() == 2000U * 1024U);
  BOOST_TEST(!available_memory("nothing here\nMemFree: lots\n").has_value());
  BOOST_TEST(!available_memory("").has_value());
}

// Found while writing the meminfo fuzz target's property: kB * 1024 wrapped around, so a hostile
// device could report any amount of free memory with a 20-digit number.
BOOST_AUTO_TEST_CASE(available_memory_refuses_values_that_overflow) {
  BOOST_TEST(!available_memory("MemAvailable: 18014398509481984 kB\n").has_value());
  BOOST_TEST(available_memory("MemAvailable: 18014398509481984 kB\nMemFree: 8 kB\n").value() == 8U * 1024U);
  BOOST_TEST(available_memory("MemFree: 18014398509481983 kB\n").value() == 18014398509481983ULL * 1024U);
}

BOOST_AUTO_TEST_CASE(device_report_reads_the_four_sources) {
  const auto facts = parse_device_report(
      "TP-Link Archer C7 v5\n--fwhub--\ntplink,archer-c7-v5\r\nextra\n--fwhub--\n"
      "DISTRIB_ID='OpenWrt'\nDISTRIB_DESCRIPTION='OpenWrt 23.05.4 r24012-d8dd03c46f'\n--fwhub--\n"
      "MemTotal:   124000 kB\nMemFree:    62000 kB\nMemAvailable:   61000 kB\n");
  BOOST_REQUIRE(facts.has_value());
  BOOST_TEST(facts->model == "TP-Link Archer C7 v5");
  BOOST_TEST(facts->board_name == "tplink,archer-c7-v5");
  BOOST_TEST(facts->os == "OpenWrt 23.05.4 r24012-d8dd03c46f");
  BOOST_TEST(facts->memory_free_kb.value() == 61000U);
}

BOOST_AUTO_TEST_CASE(device_report_with_missing_or_extra_sources_is_not_understood) {
  BOOST_TEST(!parse_device_report("model\n--fwhub--\nboard\n--fwhub--\nrelease\n").has_value());
  BOOST_TEST(!parse_device_report("a\n--fwhub--\nb\n--fwhub--\nc\n--fwhub--\nd\n--fwhub--\ne\n").has_value());
  BOOST_TEST(!parse_device_report("").has_value());
  const auto bare = parse_device_report("--fwhub--\n--fwhub--\n--fwhub--\n");
  BOOST_REQUIRE(bare.has_value());
  BOOST_TEST(bare->model.empty());
  BOOST_TEST(bare->os.empty());
  BOOST_TEST(!bare->memory_free_kb.has_value());
}

// Found while writing the fuzz targets: deeply nested upgrade_options overflowed RapidJSON's recursive parser.
BOOST_AUTO_TEST_CASE(deeply_nested_options_are_refused) {
  const std::string deep(1'000'000, '[');
  BOOST_CHECK_THROW(parse_upgrade_options(deep), fwhub::Error);
}
