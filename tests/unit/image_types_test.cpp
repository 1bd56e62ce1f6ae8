// Image types: names without the openwrt-<version> prefix, the built-in table checked against
// OpenWrt's profiles.json, entries derived from profiles.json, custom entries and the merged table.
#define BOOST_TEST_MODULE image_types
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/firmware/image_types.hpp"

using namespace fwhub::domain::firmware;
using fwhub::Code;
using fwhub::Error;

namespace {

const std::string kReleases = std::string(FWHUB_SOURCE_DIR) + "/tests/data/openwrt/releases/";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  BOOST_REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<ImageType> from_profiles(const std::string& release_target) {
  return image_types_from_profiles_json(read(kReleases + release_target + "/profiles.json"));
}

const ImageType* find(const std::vector<ImageType>& list, const std::string& type) {
  const auto it = std::find_if(list.begin(), list.end(), [&](const ImageType& entry) { return entry.type == type; });
  return it == list.end() ? nullptr : &*it;
}

// The Error(kInvalidArgument) message `fn` throws; "" when it throws nothing.
template <typename Fn>
std::string rejection(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(Code::kInvalidArgument));
    return e.what();
  }
  return "";
}

using Boards = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_CASE(type_is_the_file_name_without_the_openwrt_version_prefix) {
  BOOST_TEST(type_from_filename("openwrt-23.05.4-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin") ==
             "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_TEST(type_from_filename("openwrt-19.07.10-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin") ==
             "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_TEST(type_from_filename("openwrt-22.03.0-rc1-ramips-mt7621-ubnt_edgerouter-x-squashfs-sysupgrade.bin") ==
             "ramips-mt7621-ubnt_edgerouter-x-squashfs-sysupgrade.bin");
  BOOST_TEST(type_from_filename("openwrt-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin") ==
             "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_TEST(type_from_filename("openwrt-23.05-snapshot-r23881-7ec4b6fb6c-x86-64-generic-squashfs-combined.img.gz") ==
             "x86-64-generic-squashfs-combined.img.gz");
  BOOST_TEST(type_from_filename("openwrt-24.10.0-rc2-bcm27xx-bcm2711-rpi-4-squashfs-sysupgrade.img.gz") ==
             "bcm27xx-bcm2711-rpi-4-squashfs-sysupgrade.img.gz");
  BOOST_TEST(type_from_filename("lede-17.01.7-ar71xx-generic-tl-wdr4300-v1-squashfs-sysupgrade.bin") ==
             "lede-17.01.7-ar71xx-generic-tl-wdr4300-v1-squashfs-sysupgrade.bin");
  BOOST_TEST(type_from_filename("custom-firmware.bin") == "custom-firmware.bin");
  BOOST_TEST(type_from_filename("openwrt-") == "openwrt-");
  BOOST_TEST(type_from_filename("") == "");
}

BOOST_AUTO_TEST_CASE(builtin_table_has_common_devices_with_models_and_board_names) {
  const auto& table = builtin_image_types();
  BOOST_TEST(table.size() >= 30U);
  BOOST_TEST(table.size() <= 90U);
  std::set<std::string> types;
  for (const auto& entry : table) {
    BOOST_TEST_CONTEXT(entry.type) {
      BOOST_TEST(types.insert(entry.type).second);
      BOOST_TEST(entry.type.rfind("openwrt-", 0) != 0U);
      BOOST_TEST(entry.type.find("sysupgrade") != std::string::npos);
      BOOST_TEST(entry.label.find(" and later)") != std::string::npos);
      BOOST_TEST(std::any_of(entry.boards.begin(), entry.boards.end(),
                             [](const std::string& b) { return b.find(',') != std::string::npos; }));
      BOOST_TEST(std::any_of(entry.boards.begin(), entry.boards.end(),
                             [](const std::string& b) { return b.find(' ') != std::string::npos; }));
    }
  }
  const ImageType* c7 = find(table, "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_REQUIRE(c7 != nullptr);
  BOOST_TEST(c7->label == "TP-Link Archer C7 v5 (OpenWrt 19.07 and later)");
  BOOST_TEST(c7->boards == (Boards{"tplink,archer-c7-v5", "archer-c7-v5", "TP-Link Archer C7 v5"}),
             boost::test_tools::per_element());
}

// Every built-in entry is a fact of the 23.05.4 profiles; "19.07 and later" ones also of 19.07.10.
BOOST_AUTO_TEST_CASE(builtin_table_agrees_with_openwrts_profiles) {
  std::vector<ImageType> current;
  std::set<std::string> old_types;
  for (const auto& file : std::filesystem::recursive_directory_iterator(kReleases)) {
    if (file.path().filename() != "profiles.json") {
      continue;
    }
    auto entries = image_types_from_profiles_json(read(file.path().string()));
    if (file.path().string().find("/19.07.10/") != std::string::npos) {
      for (const auto& entry : entries) {
        old_types.insert(entry.type);
      }
    } else {
      current.insert(current.end(), entries.begin(), entries.end());
    }
  }
  for (const auto& entry : builtin_image_types()) {
    BOOST_TEST_CONTEXT(entry.type) {
      const ImageType* derived = find(current, entry.type);
      BOOST_REQUIRE(derived != nullptr);
      BOOST_TEST(entry.boards == derived->boards, boost::test_tools::per_element());
      const std::string since = old_types.count(entry.type) > 0 ? "19.07" : "23.05";
      BOOST_TEST(entry.label == derived->label + " (OpenWrt " + since + " and later)");
    }
  }
}

BOOST_AUTO_TEST_CASE(profiles_json_gives_every_sysupgrade_image) {
  const auto entries = from_profiles("23.05.4/targets/ath79/generic");
  BOOST_TEST(entries.size() == 346U);  // 349 profiles; three have no sysupgrade image
  const ImageType* c7 = find(entries, "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_REQUIRE(c7 != nullptr);
  BOOST_TEST(c7->label == "TP-Link Archer C7 v5");
  BOOST_TEST(c7->boards == (Boards{"tplink,archer-c7-v5", "archer-c7-v5", "TP-Link Archer C7 v5"}),
             boost::test_tools::per_element());
  BOOST_TEST(find(entries, "ath79-generic-tplink_archer-c7-v5-squashfs-factory.bin") == nullptr);
  const ImageType* eap245 = find(entries, "ath79-generic-tplink_eap245-v3-squashfs-sysupgrade.bin");
  BOOST_REQUIRE(eap245 != nullptr);
  BOOST_TEST(eap245->label == "TP-Link EAP245 v3 / TP-Link EAP265 HD v1");
  BOOST_TEST(eap245->boards == (Boards{"tplink,eap245-v3", "TP-Link EAP245 v3", "TP-Link EAP265 HD v1"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(profiles_json_of_19_07_uses_the_title_form) {
  const auto entries = from_profiles("19.07.10/targets/ath79/generic");
  BOOST_TEST(entries.size() == 125U);
  const ImageType* lite = find(entries, "ath79-generic-ubnt_unifiac-lite-squashfs-sysupgrade.bin");
  BOOST_REQUIRE(lite != nullptr);
  BOOST_TEST(lite->label == "Ubiquiti UniFi AC-Lite");
  BOOST_TEST(lite->boards == (Boards{"ubnt,unifiac-lite", "unifiac-lite", "Ubiquiti UniFi AC-Lite"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(profiles_without_sysupgrade_images_give_their_whole_disk_images) {
  const auto x86 = from_profiles("23.05.4/targets/x86/64");
  std::vector<std::string> types;
  types.reserve(x86.size());
  for (const auto& entry : x86) {
    types.push_back(entry.type);
  }
  BOOST_TEST(types == (std::vector<std::string>{
                          "x86-64-generic-ext4-combined.img.gz", "x86-64-generic-squashfs-combined.img.gz",
                          "x86-64-generic-squashfs-combined-efi.img.gz", "x86-64-generic-ext4-combined-efi.img.gz"}),
             boost::test_tools::per_element());
  BOOST_TEST(x86[0].label == "Generic x86/64");
  BOOST_TEST(x86[0].boards == (Boards{"Generic x86/64"}), boost::test_tools::per_element());
  const auto sunxi = from_profiles("23.05.4/targets/sunxi/cortexa7");
  BOOST_TEST(find(sunxi, "sunxi-cortexa7-cubietech_cubieboard2-squashfs-sdcard.img.gz") != nullptr);
  BOOST_TEST(sunxi.size() == 54U);
  // A profile with a sysupgrade image does not also list its sdcard image.
  const auto rpi = from_profiles("23.05.4/targets/bcm27xx/bcm2711");
  BOOST_TEST(find(rpi, "bcm27xx-bcm2711-rpi-4-squashfs-sysupgrade.img.gz") != nullptr);
  BOOST_TEST(find(rpi, "bcm27xx-bcm2711-rpi-4-squashfs-factory.img.gz") == nullptr);
}

BOOST_AUTO_TEST_CASE(profiles_json_small_documents) {
  const auto entries = image_types_from_profiles_json(R"({"profiles":{
    "a":{"titles":[{"vendor":"V","model":"M","variant":""},{"title":""}],"supported_devices":["v,m","v,m"],
         "images":[{"type":"sysupgrade","name":"openwrt-1.0-t-s-a-sysupgrade.bin"},
                   {"type":"nand-sysupgrade","name":"openwrt-1.0-t-s-a-nand-sysupgrade.bin"},
                   {"type":"factory","name":"openwrt-1.0-t-s-a-factory.bin"}]},
    "b":{"images":[{"type":"kernel","name":"k.bin"}]},
    "c":{"images":[{"type":"combined","name":"openwrt-t-s-c-combined.img.gz"}]}}})");
  BOOST_REQUIRE_EQUAL(entries.size(), 3U);
  BOOST_TEST(entries[0].type == "t-s-a-sysupgrade.bin");
  BOOST_TEST(entries[0].label == "V M");
  BOOST_TEST(entries[0].boards == (Boards{"v,m", "V M"}), boost::test_tools::per_element());
  BOOST_TEST(entries[1].type == "t-s-a-nand-sysupgrade.bin");
  BOOST_TEST(entries[2].type == "t-s-c-combined.img.gz");
  BOOST_TEST(entries[2].label == "c");  // no titles: the profile id
  BOOST_TEST(entries[2].boards.empty());
}

BOOST_AUTO_TEST_CASE(malformed_profiles_json_is_rejected_with_the_reason) {
  const auto of = [](const std::string& json) { return rejection([&] { image_types_from_profiles_json(json); }); };
  BOOST_TEST(of("{").find("profiles.json: invalid JSON at offset 1") == 0U);
  BOOST_TEST(of("[]") == "profiles.json: the document is not an object");
  BOOST_TEST(of(R"({"profiles":[]})") == "profiles.json: \"profiles\" is missing or not an object");
  BOOST_TEST(of(R"({"profiles":{"a":1}})") == "profiles.json: profile a is not an object");
  BOOST_TEST(of(R"({"profiles":{"a":{"titles":{}}}})") == "profiles.json: profile a: \"titles\" is not a list");
  BOOST_TEST(of(R"({"profiles":{"a":{"titles":["x"]}}})") == "profiles.json: profile a: a title is not an object");
  BOOST_TEST(of(R"({"profiles":{"a":{"titles":[{"model":1}]}}})") ==
             "profiles.json: profile a: title \"model\" is not a string");
  BOOST_TEST(of(R"({"profiles":{"a":{"supported_devices":"x"}}})") ==
             "profiles.json: profile a: \"supported_devices\" is not a list");
  BOOST_TEST(of(R"({"profiles":{"a":{"supported_devices":[1]}}})") ==
             "profiles.json: profile a: \"supported_devices\" holds a value that is not a string");
  BOOST_TEST(of(R"({"profiles":{"a":{"images":{}}}})") == "profiles.json: profile a: \"images\" is not a list");
  BOOST_TEST(of(R"({"profiles":{"a":{"images":[{"type":"sysupgrade"}]}}})") ==
             "profiles.json: profile a: an image without a string \"type\" and \"name\"");
  BOOST_TEST(of(R"({"profiles":{"a":{"images":[3]}}})") ==
             "profiles.json: profile a: an image without a string \"type\" and \"name\"");
}

BOOST_AUTO_TEST_CASE(custom_image_types_are_read) {
  const auto entries = parse_custom_image_types(R"([
    ["customimage-squashfs-sysupgrade.bin", {"label": "Custom WAP-1200", "boards": ["Custom WAP-1200", "custom,wap-1200"]}],
    ["other.bin", {"label": "", "boards": []}]
  ])");
  BOOST_REQUIRE_EQUAL(entries.size(), 2U);
  BOOST_TEST(entries[0].type == "customimage-squashfs-sysupgrade.bin");
  BOOST_TEST(entries[0].label == "Custom WAP-1200");
  BOOST_TEST(entries[0].boards == (Boards{"Custom WAP-1200", "custom,wap-1200"}), boost::test_tools::per_element());
  BOOST_TEST(entries[1].boards.empty());
  BOOST_TEST(parse_custom_image_types("[]").empty());
  BOOST_TEST(parse_custom_image_types("").empty());  // the setting's default: none
}

BOOST_AUTO_TEST_CASE(malformed_custom_image_types_are_rejected_naming_the_entry) {
  const auto of = [](const std::string& json) { return rejection([&] { parse_custom_image_types(json); }); };
  BOOST_TEST(of("[").find("custom_images: invalid JSON") == 0U);
  BOOST_TEST(of("{}") == "custom_images: not a list of [type, {label, boards}] pairs");
  BOOST_TEST(of(R"([["a"]])") == "custom_images: entry 0 is not a [type, {label, boards}] pair");
  BOOST_TEST(of(R"([{"a":1}])") == "custom_images: entry 0 is not a [type, {label, boards}] pair");
  BOOST_TEST(of(R"([["", {}]])") == "custom_images: entry 0: the type is not a non-empty string");
  BOOST_TEST(of(R"([[1, {}]])") == "custom_images: entry 0: the type is not a non-empty string");
  BOOST_TEST(of(R"([["a", []]])") == "custom_images: entry 0 (a): the second item is not an object");
  BOOST_TEST(of(R"([["a", {"boards": []}]])") == "custom_images: entry 0 (a): \"label\" is missing or not a string");
  BOOST_TEST(of(R"([["a", {"label": "A"}]])") == "custom_images: entry 0 (a): \"boards\" is missing or not a list");
  BOOST_TEST(of(R"([["a", {"label": "A", "boards": "x"}]])") ==
             "custom_images: entry 0 (a): \"boards\" is missing or not a list");
  BOOST_TEST(of(R"([["a", {"label": "A", "boards": ["x", 2]}]])") ==
             "custom_images: entry 0 (a): \"boards\" holds a value that is not a non-empty string");
  BOOST_TEST(of(R"([["a", {"label": "A", "boards": [""]}]])") ==
             "custom_images: entry 0 (a): \"boards\" holds a value that is not a non-empty string");
  BOOST_TEST(of(R"([["a", {"label": "A", "boards": []}], ["a", {"label": "B", "boards": []}]])") ==
             "custom_images: entry 1 (a): the type is listed twice");
}

BOOST_AUTO_TEST_CASE(fits_matches_board_name_then_exact_model) {
  const ImageType c7{"t", "l", {"tplink,archer-c7-v5", "archer-c7-v5", "TP-Link Archer C7 v5"}};
  BOOST_TEST(fits(c7, "tplink,archer-c7-v5", ""));
  BOOST_TEST(fits(c7, "tplink,archer-c7-v5", "Something else"));
  BOOST_TEST(fits(c7, "archer-c7-v5", ""));
  BOOST_TEST(fits(c7, "unknown,board", "TP-Link Archer C7 v5"));
  BOOST_TEST(fits(c7, "", "TP-Link Archer C7 v5"));
  BOOST_TEST(!fits(c7, "", "tp-link archer c7 v5"));  // case-sensitive
  BOOST_TEST(!fits(c7, "", "TP-Link Archer C7 v5 "));
  BOOST_TEST(!fits(c7, "tplink,archer-c7-v4", "TP-Link Archer C7 v4"));
  BOOST_TEST(!fits(c7, "", ""));
  const ImageType with_empty{"t", "l", {""}};
  BOOST_TEST(!fits(with_empty, "", ""));
}

BOOST_AUTO_TEST_CASE(table_keeps_the_first_entry_of_a_type_in_source_order) {
  const std::string c7 = "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin";
  const auto custom = parse_custom_image_types(R"([["ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin",
      {"label": "Our C7", "boards": ["Our C7 model"]}], ["custom.bin", {"label": "Custom", "boards": ["x,y"]}]])");
  const auto catalog = from_profiles("23.05.4/targets/ath79/generic");
  const ImageTypeTable table({custom, builtin_image_types(), catalog});
  BOOST_TEST(table.find(c7)->label == "Our C7");
  BOOST_TEST(table.boards_for(c7) == (Boards{"Our C7 model"}), boost::test_tools::per_element());
  BOOST_TEST(table.fits(c7, "", "Our C7 model"));
  BOOST_TEST(!table.fits(c7, "tplink,archer-c7-v5", "TP-Link Archer C7 v5"));
  BOOST_TEST(table.fits("custom.bin", "x,y", ""));
  // Built-in before catalog: same boards, the built-in label.
  const std::string c7v2 = "ath79-generic-tplink_archer-c7-v2-squashfs-sysupgrade.bin";
  BOOST_TEST(table.find(c7v2)->label == "TP-Link Archer C7 v2 (OpenWrt 19.07 and later)");
  // Only in the catalog.
  const std::string c60 = "ath79-generic-tplink_archer-c60-v2-squashfs-sysupgrade.bin";
  BOOST_TEST(table.find(c60)->label == "TP-Link Archer C60 v2");
  BOOST_TEST(table.fits(c60, "tplink,archer-c60-v2", ""));
  // Unknown types.
  BOOST_TEST(table.find("nope.bin") == nullptr);
  BOOST_TEST(table.boards_for("nope.bin").empty());
  BOOST_TEST(!table.fits("nope.bin", "tplink,archer-c7-v5", "TP-Link Archer C7 v5"));
  // Each type once; custom first, then built-in, then the rest of the catalog.
  BOOST_TEST(table.entries().size() == 2U + builtin_image_types().size() - 1U + 346U -
                                           static_cast<std::size_t>(std::count_if(
                                               builtin_image_types().begin(), builtin_image_types().end(),
                                               [&](const ImageType& e) { return find(catalog, e.type) != nullptr; })));
  BOOST_TEST(table.entries()[0].label == "Our C7");
  BOOST_TEST(table.entries()[1].type == "custom.bin");
  BOOST_TEST(table.entries()[2].type == builtin_image_types()[0].type);
}

BOOST_AUTO_TEST_CASE(empty_table) {
  const ImageTypeTable table({});
  BOOST_TEST(table.entries().empty());
  BOOST_TEST(table.boards_for("x").empty());
}
