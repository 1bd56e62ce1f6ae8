// Build requests: schema errors per field, normalisation, client names and the request hash.
#define BOOST_TEST_MODULE build_request
#include <boost/test/unit_test.hpp>

#include "fwhub/domain/build/build_request.hpp"

using namespace fwhub::domain::build;

namespace {

const Limits kLimits;

ParseResult parse(const std::string& body) {
  return parse_build_request(body, kLimits);
}

std::string first_error(const std::string& body) {
  const auto result = parse(body);
  if (result.errors.empty()) {
    return "";
  }
  std::string location;
  for (const auto& part : result.errors[0].location) {
    location += "/" + part;
  }
  return result.errors[0].type + " " + location;
}

const std::string kMinimal = R"({"version":"23.05.4","target":"ath79/generic","profile":"tplink,archer-c7-v5")";

}  // namespace

BOOST_AUTO_TEST_CASE(minimal_request_gets_defaults) {
  const auto result = parse(kMinimal + "}");
  BOOST_REQUIRE(result.request.has_value());
  const auto& request = *result.request;
  BOOST_TEST(request.distro == "openwrt");
  BOOST_TEST(request.profile == "tplink_archer-c7-v5");
  BOOST_TEST(request.repositories_mode == "replace");
  BOOST_TEST(!request.diff_packages);
  BOOST_TEST(!request.defaults.has_value());
}

BOOST_AUTO_TEST_CASE(full_request_is_read) {
  const auto result = parse(kMinimal + R"(,"packages":["+luci","-ppp","tcpdump"],"diff_packages":true,
    "defaults":"uci set x","rootfs_size_mb":256,"filesystem":"ext4","repositories":{"extra":"https://r.example/x"},
    "repositories_mode":"append","repository_keys":["RWQ..."],"client":"luci/git-22.073","unknown_field":1})");
  BOOST_REQUIRE(result.request.has_value());
  const auto& request = *result.request;
  BOOST_TEST(request.packages == (std::vector<std::string>{"luci", "-ppp", "tcpdump"}),
             boost::test_tools::per_element());
  BOOST_TEST(request.rootfs_size_mb.value() == 256);
  BOOST_TEST(request.filesystem.value() == "ext4");
  BOOST_TEST(request.repositories.at("extra") == "https://r.example/x");
  BOOST_TEST(request.client.value() == "luci/git-22.073");
}

BOOST_AUTO_TEST_CASE(schema_errors_name_the_field) {
  BOOST_TEST(first_error(R"({"target":"ath79/generic","profile":"x"})") == "missing /body/version");
  BOOST_TEST(first_error(R"({"version":1,"target":"ath79/generic","profile":"x"})") == "string_type /body/version");
  BOOST_TEST(first_error(R"({"version":"23.05.4","target":"ath79","profile":"x"})") ==
             "string_pattern_mismatch /body/target");
  BOOST_TEST(first_error(R"({"version":"23.05.4","target":"a/b/c","profile":"x"})") ==
             "string_pattern_mismatch /body/target");
  BOOST_TEST(first_error(kMinimal + R"(,"packages":"luci"})") == "list_type /body/packages");
  BOOST_TEST(first_error(kMinimal + R"(,"packages":["ok","bad name"]})") == "string_pattern_mismatch /body/packages/1");
  BOOST_TEST(first_error(kMinimal + R"(,"packages":[1]})") == "string_type /body/packages/0");
  BOOST_TEST(first_error(kMinimal + R"(,"packages_versions":{"luci":"1.0 bad"}})") ==
             "string_pattern_mismatch /body/packages_versions/luci");
  BOOST_TEST(first_error(kMinimal + R"(,"diff_packages":"yes"})") == "bool_type /body/diff_packages");
  BOOST_TEST(first_error(kMinimal + R"(,"rootfs_size_mb":0})") == "greater_than_equal /body/rootfs_size_mb");
  BOOST_TEST(first_error(kMinimal + R"(,"rootfs_size_mb":1025})") == "less_than_equal /body/rootfs_size_mb");
  BOOST_TEST(first_error(kMinimal + R"(,"rootfs_size_mb":"big"})") == "int_type /body/rootfs_size_mb");
  BOOST_TEST(first_error(kMinimal + R"(,"filesystem":"btrfs"})") == "enum /body/filesystem");
  BOOST_TEST(first_error(kMinimal + R"(,"repositories":{"x":"ftp://a/b"}})") ==
             "string_pattern_mismatch /body/repositories/x");
  BOOST_TEST(first_error(kMinimal + R"(,"repositories_mode":"merge"})") == "enum /body/repositories_mode");
  BOOST_TEST(first_error(kMinimal + R"(,"defaults":")" + std::string(20481, 'x') + "\"}") ==
             "string_too_long /body/defaults");
  BOOST_TEST(first_error(kMinimal + R"(,"defaults":")" + std::string(20480, 'x') + "\"}").empty());
}

BOOST_AUTO_TEST_CASE(bodies_that_are_not_json_objects) {
  BOOST_TEST(first_error("") == "json_invalid /body");
  BOOST_TEST(first_error("{") == "json_invalid /body");
  BOOST_TEST(first_error("[1,2]") == "model_attributes_type /body");
  BOOST_TEST(first_error(std::string(64, '[') + std::string(64, ']')) == "model_attributes_type /body");
  BOOST_TEST(first_error(std::string(100000, '[') + std::string(100000, ']')) == "json_invalid /body");
  BOOST_TEST(first_error(kMinimal + R"(,"packages":)" + std::string(63, '[') + std::string(63, ']') + "}") ==
             "string_type /body/packages/0");
  BOOST_TEST(first_error(kMinimal + R"(,"packages":)" + std::string(64, '[') + std::string(64, ']') + "}") ==
             "json_invalid /body");
  BOOST_TEST(first_error(std::string(200000, '[')) == "json_invalid /body");
  BOOST_TEST(first_error(kMinimal + ",\"client\":\"\xff\xfe\"}") == "json_invalid /body");
}

// Found by fuzzing: RapidJSON took an escaped lone low surrogate in as bytes that are not UTF-8, and
// the canonical JSON of the accepted request did not parse back.
BOOST_AUTO_TEST_CASE(lone_low_surrogates_are_refused_per_field) {
  const std::string lone = R"("x\ude22")";
  BOOST_TEST(first_error(kMinimal + R"(,"repository_keys":[)" + lone + "]}") ==
             "string_unicode /body/repository_keys/0");
  BOOST_TEST(first_error(kMinimal + R"(,"defaults":)" + lone + "}") == "string_unicode /body/defaults");
  BOOST_TEST(first_error(kMinimal + R"(,"client":)" + lone + "}") == "string_unicode /body/client");
  BOOST_TEST(first_error(kMinimal + R"(,"repositories":{"x":"https://a/\udfff"}})") ==
             "string_unicode /body/repositories/x");
  BOOST_TEST(first_error(kMinimal + R"(,"unknown":)" + lone + "}").empty());  // ignored, as upstream
  // A lone high surrogate is not JSON to RapidJSON; a pair is one code point (U+1F600).
  BOOST_TEST(first_error(kMinimal + R"(,"defaults":"\ud83d"})") == "json_invalid /body");
  const auto request = parse(kMinimal + R"(,"defaults":"\ud83d\ude00"})").request.value();
  BOOST_TEST(*request.defaults == "\xF0\x9F\x98\x80");
  const auto again = parse(request_json(request, request.profile)).request.value();
  BOOST_TEST(request_hash(again, again.profile) == request_hash(request, request.profile));
}

BOOST_AUTO_TEST_CASE(huge_lists_are_refused) {
  std::string packages = "[";
  for (int i = 0; i < 5000; ++i) {
    packages += (i == 0 ? "\"p" : ",\"p") + std::to_string(i) + "\"";
  }
  BOOST_TEST(first_error(kMinimal + R"(,"packages":)" + packages + "]}") == "too_long /body/packages");
}

BOOST_AUTO_TEST_CASE(client_names_from_the_user_agent) {
  BOOST_TEST(client_from_user_agent("auc (0.3.2)") == "auc/0.3.2");
  BOOST_TEST(client_from_user_agent("Mozilla/5.0 (X11)") == "unknown/0");
  BOOST_TEST(client_from_user_agent("") == "unknown/0");
}

BOOST_AUTO_TEST_CASE(hash_ignores_package_order_and_duplicates) {
  const auto a = parse(kMinimal + R"(,"packages":["luci","tcpdump"]})").request.value();
  const auto b = parse(kMinimal + R"(,"packages":["tcpdump","luci","luci"]})").request.value();
  const auto c = parse(kMinimal + R"(,"packages":["tcpdump"]})").request.value();
  const auto d = parse(kMinimal + R"(,"packages":["luci","tcpdump"],"client":"other/1"})").request.value();
  BOOST_TEST(request_hash(a, "p") == request_hash(b, "p"));
  BOOST_TEST(request_hash(a, "p") != request_hash(c, "p"));
  BOOST_TEST(request_hash(a, "p") != request_hash(a, "q"));
  BOOST_TEST(request_hash(a, "p") == request_hash(d, "p"));  // the client is statistics only
  BOOST_TEST(request_hash(a, "p").size() == 64U);
  // The build keeps the user's order.
  BOOST_TEST(requested_packages(b) == (std::vector<std::string>{"tcpdump", "luci"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(packages_versions_replace_packages) {
  const auto request =
      parse(kMinimal + R"(,"packages":["vim"],"packages_versions":{"luci":"23.1","tcpdump":"4.99.4-1"}})")
          .request.value();
  BOOST_TEST(requested_packages(request) == (std::vector<std::string>{"luci", "tcpdump"}),
             boost::test_tools::per_element());
}

// Found while writing the fuzz targets: the key pattern was matched before the length check, and std::regex
// recursing per character overflowed the stack with a 50 KB key (one POST killed an API worker).
BOOST_AUTO_TEST_CASE(long_keys_are_refused_before_the_pattern_is_matched) {
  const std::string key(1'000'000, 'a');
  BOOST_TEST(first_error(kMinimal + R"(,"packages_versions":{")" + key + R"(":"1"}})") ==
             "string_pattern_mismatch /body/packages_versions/" + key);
  BOOST_TEST(first_error(kMinimal + R"(,"repositories":{")" + key + R"(":"https://x.org/p"}})") ==
             "string_pattern_mismatch /body/repositories/" + key);
  BOOST_TEST(client_from_user_agent("auc (" + key + ")") == "unknown/0");
}
