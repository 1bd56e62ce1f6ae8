// Regressions of the outside security test (issue 16) in the API's input handling, through nginx
// -> FastCGI -> MariaDB: 100,000-deep JSON refused (before the body is read where the route
// allows it) without killing a worker, 64 KiB+ of UTF-8 text stored, random batch ids, shared
// batches hidden (404) from non-superusers on every route, image names that could never be
// downloaded refused.
#define BOOST_TEST_MODULE security_findings
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <algorithm>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::json;
using fwhub::testing::Stack;
using fwhub::testing::str;

namespace {

const std::string kUp = "/api/v1/firmware-upgrader/";

// One principal's bearer-token client.
class Api {
 public:
  explicit Api(std::string token) : client_(Stack().client()), token_(std::move(token)) {}

  httplib::Headers headers() const { return {{"Authorization", "Bearer " + token_}}; }
  httplib::Result get(const std::string& path) { return client_.Get(path, headers()); }
  httplib::Result send(const std::string& method, const std::string& path, const std::string& body) {
    httplib::Request request;
    request.method = method;
    request.path = path;
    request.headers = headers();
    request.headers.emplace("Content-Type", "application/json");
    request.body = body;
    return client_.send(request);
  }
  httplib::Result upload(const std::string& path, const std::string& file_name, const std::string& content,
                         const std::string& type) {
    const httplib::MultipartFormDataItems items = {{"file", content, file_name, "application/octet-stream"},
                                                   {"type", type, "", ""}};
    return client_.Post(path, headers(), items);
  }
  // POSTs and returns the new object's id, requiring 201.
  std::string create(const std::string& path, const std::string& body) {
    const auto result = send("POST", path, body);
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 201, path << " -> " << result->status << " " << result->body);
    return str(json(result->body)["id"]);
  }

 private:
  httplib::Client client_;
  std::string token_;
};

// A user (a superuser, an organization's administrator, or one without organization) and a token.
std::string user_token(const std::string& name, const std::string& options) {
  admin_line("create-user " + name + " " + options, "findings-password");
  return admin_line("create-token " + name + " findings");
}

struct World {
  std::string slug = "sf" + fwhub::random_hex(4);
  std::string board = "fwhub,sec-" + fwhub::random_hex(4);
  std::string root;
  std::string admin;
  std::string nobody;

  World() {
    admin_line("create-organization " + slug + " " + slug);
    root = user_token(slug + "-root", "--superuser");
    admin = user_token(slug + "-admin", "--organization " + slug + " --role admin");
    nobody = user_token(slug + "-nobody", "");
  }

  // A build of `api`'s organization (or shared, for the superuser with shared = true) with an
  // image row for `board`: image files come about through uploads, which other tests cover.
  [[nodiscard]] std::string build_with_image(Api& api, bool shared) const {
    const std::string organization = shared ? R"(,"organization":null)" : "";
    const std::string category =
        api.create(kUp + "category/", R"({"name":"C)" + fwhub::random_hex(4) + "\"" + organization + "}");
    std::string build = api.create(kUp + "build/", R"({"category":")" + category + R"(","version":"1"})");
    const auto [status, output] = Stack().sql(
        "INSERT INTO fw_images (id, build_id, organization_id, type, file_name, size, sha256, boards, metadata) "
        "SELECT '" +
        fwhub::random_uuid() + "', id, organization_id, 'sysupgrade', 'f.bin', 1, REPEAT('0', 64), '[\\\"" + board +
        "\\\"]', '{}' FROM fw_builds WHERE id = '" + build + "'");
    BOOST_REQUIRE_MESSAGE(status == 0, output);
    return build;
  }

  [[nodiscard]] std::string device(Api& api) const {
    return api.create("/api/v1/devices/",
                      R"({"name":"d)" + fwhub::random_hex(6) + R"(","board_name":")" + board + "\"}");
  }
};

std::vector<int> api_workers() {
  const Stack stack;
  auto workers = Stack::children(stack.pid_of("api"));
  std::sort(workers.begin(), workers.end());
  return workers;
}

std::string deep(std::size_t levels) {
  return std::string(levels, '[') + std::string(levels, ']');
}

// A 4xx answer with a JSON object body; returns the status.
int json_4xx(const httplib::Result& result, const std::string& what) {
  BOOST_REQUIRE_MESSAGE(result, what << ": no answer (the worker died?)");
  BOOST_TEST((result->status >= 400 && result->status < 500),
             what << " -> " << result->status << " " << result->body.substr(0, 300));
  rapidjson::Document body;
  body.Parse(result->body.c_str());
  BOOST_TEST((!body.HasParseError() && body.IsObject()), what << ": not JSON: " << result->body.substr(0, 300));
  return result->status;
}

bool is_random_uuid(const std::string& id) {
  return id.size() == 36 && id[14] == '4' && std::string("89ab").find(id[19]) != std::string::npos;
}

// Version 1 ids made together share their time_mid-time_hi groups and the node group.
void check_random_ids(const std::vector<std::string>& ids, const std::string& what) {
  BOOST_REQUIRE_MESSAGE(ids.size() >= 2U, what);
  std::set<std::string> times;
  std::set<std::string> nodes;
  for (const auto& id : ids) {
    BOOST_TEST(is_random_uuid(id), what << " id " << id << " is not a version 4 UUID");
    times.insert(id.substr(9, 9));
    nodes.insert(id.substr(24));
  }
  BOOST_TEST(times.size() == ids.size(), what << ": ids share their time groups");
  BOOST_TEST(nodes.size() == ids.size(), what << ": ids share their node group");
}

std::vector<std::string> column(const std::string& query) {
  const auto [status, output] = Stack().sql(query);
  BOOST_REQUIRE_MESSAGE(status == 0, output);
  std::vector<std::string> rows;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    rows.push_back(line);
  }
  return rows;
}

}  // namespace

// Issue 16, finding 2: {"upgrade_options": <100,000 levels>} from a signed-in user with no
// organization killed an API worker (SIGSEGV) on device firmware and batch upgrades of any id;
// an administrator did the same with any field of catalog-build. Now: 404/403 before the body is
// read for objects the user cannot change, 400 (422 on /api/v1/build) for the others, and the
// same workers keep answering.
BOOST_AUTO_TEST_CASE(deep_json_is_refused_and_no_worker_dies) {
  const World world;
  Api root(world.root);
  Api admin(world.admin);
  Api nobody(world.nobody);
  const std::string device = world.device(admin);
  const std::string build = world.build_with_image(admin, false);
  const std::string shared_build = world.build_with_image(root, true);
  const std::string options = R"({"image":null,"upgrade_options":)" + deep(100000) + "}";
  const std::string batch = R"({"upgrade_all":true,"upgrade_options":)" + deep(100000) + "}";
  const std::string catalog = R"({"profiles":["x"],"packages":)" + deep(100000) + "}";
  const auto workers = api_workers();
  BOOST_REQUIRE(workers.size() >= 2U);

  for (const std::string& id : {fwhub::random_uuid(), device}) {
    for (const std::string method : {"PATCH", "PUT"}) {
      BOOST_TEST(json_4xx(nobody.send(method, kUp + "device/" + id + "/firmware/", options), method) == 404);
    }
  }
  for (const std::string& id : {fwhub::random_uuid(), build}) {
    BOOST_TEST(json_4xx(nobody.send("POST", kUp + "build/" + id + "/upgrade/", batch), "batch") == 404);
    BOOST_TEST(json_4xx(nobody.send("POST", kUp + "build/" + id + "/catalog-build/", catalog), "catalog") == 404);
  }
  BOOST_TEST(json_4xx(nobody.send("POST", kUp + "build/" + shared_build + "/upgrade/", batch), "shared") == 403);
  BOOST_TEST(json_4xx(admin.send("POST", kUp + "build/" + shared_build + "/catalog-build/", catalog), "s") == 403);

  const auto too_deep = [](const httplib::Result& result) {
    return result && str(json(result->body)["detail"]).find("nested more than 64 levels deep") != std::string::npos;
  };
  for (const std::string method : {"PATCH", "PUT"}) {
    const auto result = admin.send(method, kUp + "device/" + device + "/firmware/", options);
    BOOST_TEST(json_4xx(result, method) == 400);
    BOOST_TEST(too_deep(result), result->body);
  }
  for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>>{
           {kUp + "build/" + build + "/upgrade/", batch},
           {kUp + "build/" + build + "/catalog-build/", catalog},
           {kUp + "build/" + shared_build + "/catalog-build/", catalog},
           {"/api/v1/devices/", R"({"name":"x","model":)" + deep(100000) + "}"}}) {
    Api& who = path.find(shared_build) != std::string::npos ? root : admin;
    const auto result = who.send("POST", path, body);
    BOOST_TEST(json_4xx(result, path) == 400);
    BOOST_TEST(too_deep(result), path << " " << result->body);
  }
  const auto built =
      Api("").send("POST", "/api/v1/build",
                   R"({"version":"23.05.4","target":"ath79/generic","profile":"x","packages":)" + deep(100000) + "}");
  BOOST_TEST(json_4xx(built, "/api/v1/build") == 422);
  BOOST_TEST(str(json(built->body)["detail"][0]["type"]) == "json_invalid");

  BOOST_TEST((api_workers() == workers), "an API worker died and was replaced");
  for (int i = 0; i < 10; ++i) {
    const auto health = Stack().client().Get("/api/v1/health");
    BOOST_TEST((health && health->status == 200));
  }
}

// Issue 16, finding 5: a description or changelog under 65,535 characters but over 64 KiB of
// UTF-8 was a 500 (MariaDB error 1366 in a TEXT column).
BOOST_AUTO_TEST_CASE(text_over_64_kib_of_utf8_is_stored_and_read_back) {
  const World world;
  Api admin(world.admin);
  std::string accents;
  for (int i = 0; i < 40000; ++i) {
    accents += "\xc3\xa9";  // é: 80,000 bytes
  }
  std::string emoji;
  for (int i = 0; i < 20000; ++i) {
    emoji += "\xf0\x9f\x98\x80";  // U+1F600: 80,000 bytes
  }
  const std::string category = admin.create(kUp + "category/", R"({"name":"Long","description":")" + accents + "\"}");
  auto read = admin.get(kUp + "category/" + category + "/");
  BOOST_REQUIRE(read && read->status == 200);
  BOOST_TEST((str(json(read->body)["description"]) == accents));
  const auto changed = admin.send("PATCH", kUp + "category/" + category + "/", R"({"description":")" + emoji + "\"}");
  BOOST_REQUIRE(changed);
  BOOST_TEST(changed->status == 200, changed->body.substr(0, 300));
  read = admin.get(kUp + "category/" + category + "/");
  BOOST_TEST((str(json(read->body)["description"]) == emoji));

  const std::string build =
      admin.create(kUp + "build/", R"({"category":")" + category + R"(","version":"1","changelog":")" + emoji + "\"}");
  read = admin.get(kUp + "build/" + build + "/");
  BOOST_REQUIRE(read && read->status == 200);
  BOOST_TEST((str(json(read->body)["changelog"]) == emoji));
  const auto patched = admin.send("PATCH", kUp + "build/" + build + "/", R"({"changelog":")" + accents + "\"}");
  BOOST_REQUIRE(patched);
  BOOST_TEST(patched->status == 200, patched->body.substr(0, 300));
}

// Regression: a private key of the largest accepted size (16,384 characters) sealed to more than
// the column's 16,384 bytes and failed with error 1406, a 500.
BOOST_AUTO_TEST_CASE(the_longest_accepted_private_key_is_stored) {
  const World world;
  Api admin(world.admin);
  const std::string head = "-----BEGIN OPENSSH PRIVATE KEY-----\\n";
  const std::string tail = "\\n-----END OPENSSH PRIVATE KEY-----";
  const std::string key = head + std::string(16384 - 35 - 33 - 2, 'A') + tail;  // each \\n decodes to one
  const auto created = admin.send("POST", "/api/v1/credentials/",
                                  R"({"name":"long key","username":"root","private_key":")" + key + "\"}");
  BOOST_REQUIRE(created);
  BOOST_TEST(created->status == 201, created->body.substr(0, 300));
  const auto too_long = admin.send(
      "POST", "/api/v1/credentials/",
      R"({"name":"longer key","username":"root","private_key":")" + head + std::string(16384, 'A') + tail + "\"}");
  BOOST_REQUIRE(too_long);
  BOOST_TEST(too_long->status == 400, too_long->body.substr(0, 300));
}

// Issue 16, finding 8: ids made in SQL (a batch's operations and device firmware, automatic
// connections) were MariaDB's UUID(): version 1, the time and the host.
BOOST_AUTO_TEST_CASE(ids_made_in_sql_are_random_uuids) {
  const World world;
  Api admin(world.admin);
  const std::vector<std::string> devices = {world.device(admin), world.device(admin), world.device(admin)};
  const std::string credentials =
      admin.create("/api/v1/credentials/", R"({"name":"auto","username":"root","password":"findings-secret-1",)"
                                           R"("auto_add":true})");
  Stack().remember_secret("findings-secret-1");
  (void)world.device(admin);  // attached to the credentials as it is created
  check_random_ids(column("SELECT id FROM device_connections WHERE credentials_id = '" + credentials + "'"),
                   "device connections");

  const std::string build = world.build_with_image(admin, false);
  const auto started = admin.send("POST", kUp + "build/" + build + "/upgrade/",
                                  R"({"upgrade_all":true,"scheduled_at":"2099-01-01T00:00:00Z"})");
  BOOST_REQUIRE(started);
  BOOST_REQUIRE_MESSAGE(started->status == 201, started->body);
  const std::string batch = str(json(started->body)["batch"]);
  const auto read = admin.get(kUp + "batch-upgrade-operation/" + batch + "/");
  BOOST_REQUIRE(read && read->status == 200);
  const auto body = json(read->body);
  std::vector<std::string> operations;
  for (const auto& operation : body["operations"]["results"].GetArray()) {
    operations.push_back(str(operation["id"]));
  }
  BOOST_TEST(operations.size() == 4U);
  check_random_ids(operations, "batch operations");
  check_random_ids(column("SELECT f.id FROM device_firmware f JOIN upgrade_operations o ON o.device_id = f.device_id"
                          " WHERE o.batch_id = '" +
                          batch + "'"),
                   "device firmware");
  BOOST_TEST(is_random_uuid(batch));
  BOOST_TEST(admin.send("POST", kUp + "batch-upgrade-operation/" + batch + "/cancel/", "")->status == 200);
}

// Issue 16, finding 8: a batch of a shared build is the superusers' alone. GET and progress
// answered 404 to others, but cancel, pause and resume answered 403 and so revealed it.
BOOST_AUTO_TEST_CASE(shared_batches_are_404_to_non_superusers_on_every_route) {
  const World world;
  Api root(world.root);
  Api admin(world.admin);
  (void)world.device(admin);
  const std::string build = world.build_with_image(root, true);
  const auto started = root.send("POST", kUp + "build/" + build + "/upgrade/",
                                 R"({"upgrade_all":true,"scheduled_at":"2099-01-01T00:00:00Z"})");
  BOOST_REQUIRE(started);
  BOOST_REQUIRE_MESSAGE(started->status == 201, started->body);
  const std::string batch = str(json(started->body)["batch"]);
  const std::string missing = fwhub::random_uuid();
  for (const auto& [method, suffix] : std::vector<std::pair<std::string, std::string>>{
           {"GET", "/"}, {"GET", "/progress/"}, {"POST", "/pause/"}, {"POST", "/resume/"}, {"POST", "/cancel/"}}) {
    const auto shared = admin.send(method, kUp + "batch-upgrade-operation/" + batch + suffix, "");
    const auto none = admin.send(method, kUp + "batch-upgrade-operation/" + missing + suffix, "");
    BOOST_TEST(json_4xx(shared, suffix) == 404);
    BOOST_TEST(json_4xx(none, suffix) == 404);
    BOOST_TEST(shared->body == none->body, suffix);
  }
  BOOST_TEST(root.get(kUp + "batch-upgrade-operation/" + batch + "/")->status == 200);
  BOOST_TEST(root.send("POST", kUp + "batch-upgrade-operation/" + batch + "/pause/", "")->status != 404);
  BOOST_TEST(root.send("POST", kUp + "batch-upgrade-operation/" + batch + "/cancel/", "")->status == 200);
}

// Issue 16, finding 8: image names with % ? NUL or CR/LF (raw or written %00, %0d%0a) were stored
// but could never be downloaded (404); a name that was not UTF-8 was a 500. They are refused at upload naming the
// allowed characters; the names still allowed download.
BOOST_AUTO_TEST_CASE(image_names_that_cannot_be_downloaded_are_refused) {
  const World world;
  Api admin(world.admin);
  const std::string category = admin.create(kUp + "category/", R"({"name":"Names"})");
  const std::string type = "bcm27xx-bcm2711-rpi-4-squashfs-sysupgrade.img.gz";
  const std::string content = std::string("\x1f\x8b\x08\x00", 4) + fwhub::random_hex(64);
  int version = 0;
  const auto new_build = [&] {
    return admin.create(kUp + "build/",
                        R"({"category":")" + category + R"(","version":")" + std::to_string(++version) + "\"}");
  };
  std::string builds;
  for (const std::string& name : {std::string("a%00b.img.gz"), std::string("a%0d%0ab.img.gz"),
                                  std::string("100%.img.gz"), std::string("a?b.img.gz"), std::string("a\0b.img.gz", 10),
                                  std::string("a\r\nb.img.gz"), std::string("caf\xc3.img.gz")}) {
    const std::string build = new_build();  // one each: a type is unique per build
    builds += (builds.empty() ? "'" : ",'") + build + "'";
    const auto result = admin.upload(kUp + "build/" + build + "/image/", name, content, type);
    BOOST_REQUIRE_MESSAGE(result, name << ": no answer");
    BOOST_TEST(json_4xx(result, name) == 400);
    // A raw CR/LF or NUL may break the multipart header itself; the others reach the name rule.
    if (name.find_first_of(std::string("\r\n\0", 3)) == std::string::npos) {
      const auto body = json(result->body);
      BOOST_TEST((body.HasMember("errors") && body["errors"].HasMember("file")), result->body);
      BOOST_TEST(result->body.find("except / \\\\ % ?;") != std::string::npos, result->body);
    }
  }
  BOOST_TEST(column("SELECT COUNT(*) FROM fw_images WHERE build_id IN (" + builds + ")").at(0) == "0");

  for (const std::string name : {"sim image (1) it's $(id).img.gz", "r\xc3\xa9seau \xf0\x9f\x98\x80 v1.2+x~y.img.gz",
                                 "a=b,c;d@e!f&g[h]{i}'j#k.img.gz"}) {
    const std::string target = new_build();
    const auto uploaded = admin.upload(kUp + "build/" + target + "/image/", name, content, type);
    BOOST_REQUIRE(uploaded);
    BOOST_REQUIRE_MESSAGE(uploaded->status == 201, name << " -> " << uploaded->status << " " << uploaded->body);
    const std::string image = str(json(uploaded->body)["id"]);
    const auto downloaded = admin.get(kUp + "build/" + target + "/image/" + image + "/download/");
    BOOST_REQUIRE(downloaded);
    BOOST_TEST(downloaded->status == 200, name);
    BOOST_TEST((downloaded->body == content), name);
  }
}
