// The catalog through the real stack: a full sync of the local mirror, every public document
// with its shape, CORS, and how sync treats unchanged, changed, badly signed, malformed and
// unreachable upstream documents (the previous catalog stays served).
#define BOOST_TEST_MODULE catalog
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "fwhub/common/sha256.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::Stack;
namespace fs = std::filesystem;

namespace {

const std::string kTargetDir = "/mirror/releases/23.05.4/targets/ath79/generic";
const std::string kProfilePath = "/json/v1/releases/23.05.4/targets/ath79/generic/tplink_archer-c7-v5.json";

rapidjson::Document get_json(const std::string& path, int expected_status = 200) {
  auto client = Stack().client();
  const auto result = client.Get(path);
  BOOST_REQUIRE_MESSAGE(result, "no answer for " << path);
  BOOST_TEST(result->status == expected_status, path);
  rapidjson::Document document;
  document.Parse(result->body.c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError(), "not JSON: " << path);
  return document;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::size_t count_profiles(const std::string& version) {
  std::size_t count = 0;
  for (const auto& entry :
       fs::recursive_directory_iterator(std::string(FWHUB_SOURCE_DIR) + "/tests/data/openwrt/releases/" + version)) {
    if (entry.path().filename() == "profiles.json") {
      rapidjson::Document document;
      const std::string text = read_file(entry.path());
      document.Parse(text.c_str());
      count += document["profiles"].MemberCount();
    }
  }
  return count;
}

std::string title_of_archer_c7() {
  const auto profile = get_json(kProfilePath);
  return profile["titles"][0]["model"].GetString();
}

// Saves the mirror's target folder files that the tests change, and puts them back afterwards.
struct MirrorTarget {
  Stack stack;
  fs::path dir = fs::path(stack.state() + kTargetDir);
  std::string profiles = read_file(dir / "profiles.json");
  std::string sums = read_file(dir / "sha256sums");
  std::string signature = read_file(dir / "sha256sums.sig");

  ~MirrorTarget() {
    write_file(dir / "profiles.json", profiles);
    write_file(dir / "sha256sums", sums);
    write_file(dir / "sha256sums.sig", signature);
    (void)stack.admin("sync --wait");
  }
  MirrorTarget() = default;
  MirrorTarget(const MirrorTarget&) = delete;
  MirrorTarget& operator=(const MirrorTarget&) = delete;

  void set_title(const std::string& title) {
    std::string text = profiles;
    const std::string from = R"("model": "Archer C7")";
    const auto at = text.find(from, text.find(R"("tplink_archer-c7-v5": {)"));
    BOOST_REQUIRE(at != std::string::npos);
    text.replace(at, from.size(), R"("model": ")" + title + "\"");
    write_file(dir / "profiles.json", text);
  }

  void resign(const std::string& key) const {
    const auto [status, output] = Stack::run(std::string(FWHUB_SOURCE_DIR) + "/tests/functional/resign_target.sh '" +
                                             dir.string() + "' '" + key + "' 2>&1");
    BOOST_REQUIRE_MESSAGE(status == 0, output);
  }

  [[nodiscard]] std::string mirror_key() const { return stack.state() + "/mirror-keys/mirror.sec"; }
};

}  // namespace

BOOST_AUTO_TEST_CASE(full_sync_holds_every_version_target_and_profile) {
  for (const auto& [version, expected] : {std::pair{"23.05.4", std::size_t{1534}}, {"19.07.10", std::size_t{1117}}}) {
    const auto overview = get_json(std::string("/releases/") + version + "/.overview.json");
    BOOST_TEST(overview["profiles"].Size() == count_profiles(version));
    BOOST_TEST(overview["profiles"].Size() == expected);
  }
  const auto branches = get_json("/json/v1/branches.json");
  std::map<std::string, std::size_t> targets;
  for (const auto& branch : branches.GetArray()) {
    BOOST_TEST(branch.HasMember("path_packages"));
    BOOST_TEST(branch["enabled"].GetBool());
    BOOST_TEST(branch["versions"].IsArray());
    targets[branch["name"].GetString()] = branch["targets"].MemberCount();
  }
  BOOST_TEST(targets["23.05"] == 75U);
  BOOST_TEST(targets["19.07"] == 52U);
}

BOOST_AUTO_TEST_CASE(overview_latest_and_redirects) {
  const auto overview = get_json("/json/v1/overview.json");
  BOOST_TEST(overview["branches"]["23.05"]["path_packages"].IsString());
  BOOST_TEST(overview["server"]["max_custom_rootfs_size_mb"].GetInt() == 1024);
  BOOST_TEST(std::string(get_json("/json/v1/latest.json")["latest"][0].GetString()) == "23.05.4");
  auto client = Stack().client();
  for (const auto& [from, to] : {std::pair{"/api/v1/latest", "/json/v1/latest.json"},
                                 {"/api/v1/overview", "/json/v1/overview.json"},
                                 {"/api/overview", "/json/v1/overview.json"}}) {
    const auto result = client.Get(from);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == 301);
    BOOST_TEST(result->get_header_value("Location").ends_with(to));
  }
}

BOOST_AUTO_TEST_CASE(profile_documents_by_id_and_board_name) {
  const auto profile = get_json(kProfilePath);
  BOOST_TEST(profile["metadata_version"].GetInt() == 1);
  BOOST_TEST(std::string(profile["target"].GetString()) == "ath79/generic");
  BOOST_TEST(std::string(profile["arch_packages"].GetString()) == "mips_24kc");
  BOOST_TEST(std::string(profile["version_code"].GetString()) == "r24012-d8dd03c46f");
  BOOST_TEST(std::string(profile["version_number"].GetString()) == "23.05.4");
  BOOST_TEST(profile["images"].Size() == 3U);
  auto client = Stack().client();
  const auto by_id = client.Get(kProfilePath);
  for (const char* name : {"tplink,archer-c7-v5", "archer-c7-v5"}) {
    const auto by_board = client.Get(std::string("/json/v1/releases/23.05.4/targets/ath79/generic/") + name + ".json");
    BOOST_REQUIRE(by_board);
    BOOST_TEST(by_board->body == by_id->body);
  }
  BOOST_TEST(get_json("/json/v1/releases/23.05.4/targets/ath79/generic/no-such-device.json").ObjectEmpty());
  BOOST_TEST(get_json("/json/v1/releases/99.99.9/targets/ath79/generic/x.json").ObjectEmpty());
}

BOOST_AUTO_TEST_CASE(package_indexes_and_revision) {
  const auto index = get_json("/json/v1/releases/23.05.4/targets/ath79/generic/index.json");
  BOOST_TEST(std::string(index["architecture"].GetString()) == "mips_24kc");
  BOOST_TEST(index["packages"].HasMember("kmod-ath10k-ct"));
  const auto arch = get_json("/json/v1/releases/23.05.4/packages/mips_24kc-index.json");
  BOOST_TEST(arch.HasMember("luci"));
  BOOST_TEST(arch.HasMember("libubus"));  // ABI suffix removed
  BOOST_TEST(std::string(get_json("/api/v1/revision/23.05.4/ath79/generic")["revision"].GetString()) ==
             "r24012-d8dd03c46f");
  BOOST_TEST(std::string(get_json("/api/v1/revision/99.99.9/ath79/generic", 400)["detail"].GetString()) ==
             "Unsupported version: 99.99.9");
  BOOST_TEST(std::string(get_json("/api/v1/revision/23.05.4/ath79/nope", 400)["detail"].GetString()) ==
             "Unsupported target: ath79/nope");
}

BOOST_AUTO_TEST_CASE(download_links_resolve_and_checksums_are_true) {
  const auto versions = get_json("/.versions.json");
  const std::string image_url = versions["image_url_override"].GetString();
  const auto profiles = get_json("/releases/23.05.4/targets/ath79/generic/profiles.json");
  httplib::Client images(image_url);
  for (const auto& image : profiles["profiles"]["tplink_archer-c7-v5"]["images"].GetArray()) {
    const auto file = images.Get(std::string("/releases/23.05.4/targets/ath79/generic/") + image["name"].GetString());
    BOOST_REQUIRE(file);
    BOOST_TEST(file->status == 200);
    BOOST_TEST(fwhub::sha256_hex(file->body) == image["sha256"].GetString());
  }
}

BOOST_AUTO_TEST_CASE(cors_on_public_paths_only) {
  auto client = Stack().client();
  for (const char* path : {"/json/v1/overview.json", "/api/v1/health", "/.versions.json"}) {
    const auto result = client.Get(path);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->get_header_value("Access-Control-Allow-Origin") == "*", path);
  }
  const auto preflight = client.Options("/api/v1/build");
  BOOST_REQUIRE(preflight);
  BOOST_TEST(preflight->status == 204);
  BOOST_TEST(preflight->get_header_value("Access-Control-Allow-Methods") == "GET, POST, OPTIONS");
  BOOST_TEST(preflight->get_header_value("Access-Control-Allow-Headers") == "*");
  const auto page = client.Get("/");
  BOOST_REQUIRE(page);
  BOOST_TEST(!page->has_header("Access-Control-Allow-Origin"));
}

BOOST_AUTO_TEST_CASE(unchanged_upstream_costs_no_bodies) {
  const Stack stack;
  const std::string log = stack.state() + "/log/mirror-access.log";
  const std::size_t before = read_file(log).size();
  const auto [status, output] = stack.admin("sync --wait");
  BOOST_REQUIRE_MESSAGE(status == 0, output);
  const std::string appended = read_file(log).substr(before);
  std::istringstream lines(appended);
  std::string line;
  int requests = 0;
  int bodies = 0;
  while (std::getline(lines, line)) {
    ++requests;
    bodies += line.find("\" 200 ") != std::string::npos ? 1 : 0;
  }
  BOOST_TEST(requests > 100);
  BOOST_TEST(bodies == 0);
}

BOOST_AUTO_TEST_CASE(changed_profiles_are_picked_up) {
  MirrorTarget mirror;
  mirror.set_title("Archer C7 (renamed upstream)");
  mirror.resign(mirror.mirror_key());
  const auto [status, output] = mirror.stack.admin("sync --wait");
  BOOST_REQUIRE_MESSAGE(status == 0, output);
  BOOST_TEST(title_of_archer_c7() == "Archer C7 (renamed upstream)");
}

BOOST_AUTO_TEST_CASE(bad_signature_keeps_the_previous_catalog) {
  MirrorTarget mirror;
  const std::string other = mirror.stack.state() + "/other";
  const std::string other_key = other + ".sec";
  std::filesystem::remove(other_key);
  std::filesystem::remove(other + ".pub");
  BOOST_REQUIRE(Stack::run("signify-openbsd -G -n -p '" + other + ".pub' -s '" + other_key + "' 2>&1").first == 0);
  mirror.set_title("Archer C7 (forged)");
  mirror.resign(other_key);
  const auto [status, output] = mirror.stack.admin("sync --wait");
  BOOST_TEST(status == 1);
  BOOST_TEST(output.find("ath79/generic/sha256sums.sig") != std::string::npos, output);
  BOOST_TEST(title_of_archer_c7() == "Archer C7");
}

BOOST_AUTO_TEST_CASE(malformed_upstream_json_keeps_the_previous_catalog) {
  MirrorTarget mirror;
  write_file(mirror.dir / "profiles.json", R"({"target": "ath79/generic", "profiles": {)");
  mirror.resign(mirror.mirror_key());
  const auto [status, output] = mirror.stack.admin("sync --wait");
  BOOST_TEST(status == 1);
  BOOST_TEST(output.find("profiles.json: not valid JSON") != std::string::npos, output);
  BOOST_TEST(title_of_archer_c7() == "Archer C7");
  BOOST_TEST(get_json("/api/v1/health").HasMember("status"));
}

BOOST_AUTO_TEST_CASE(unreachable_upstream_keeps_the_previous_catalog) {
  const Stack stack;
  const std::string config = stack.state() + "/unreachable.toml";
  std::string text = read_file(stack.state() + "/fwhub.toml");
  const auto at = text.find("upstream_url = ");
  text.replace(at, text.find('\n', at) - at, R"(upstream_url = "http://127.0.0.1:9")");
  write_file(config, text);
  const auto [status, output] =
      Stack::run("FWHUB_DB_PASSWORD=$(cat '" + stack.state() +
                 "/secrets/db_password') " FWHUB_BINARY_DIR "/fwhub-admin --config '" + config + "' sync --here 2>&1");
  BOOST_TEST(status == 1);
  BOOST_TEST(output.find("http://127.0.0.1:9/.versions.json") != std::string::npos, output);
  BOOST_TEST(title_of_archer_c7() == "Archer C7");
  BOOST_TEST(get_json("/releases/23.05.4/.overview.json")["profiles"].Size() == 1534U);
}
