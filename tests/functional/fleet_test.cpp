// Fleet management through nginx -> FastCGI -> MariaDB: sign-in, sessions, CSRF, tokens,
// organization scoping, validation messages, streamed image uploads with fwtool metadata,
// slow uploads beside other requests, private downloads, device firmware rules, pagination, and
// files removed with their objects.
#define BOOST_TEST_MODULE fleet
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <cstdlib>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <array>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "fwhub/common/random.hpp"
#include "fwhub/common/sha256.hpp"
#include "support/fleet_calls.hpp"
#include "support/raw_connection.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::connect_to_stack;
using fwhub::testing::json;
using fwhub::testing::read_until_closed;
using fwhub::testing::send_all;
using fwhub::testing::Stack;
using fwhub::testing::str;

namespace {

// A user's view of the API: bearer token, or session cookie with its CSRF token.
class Api {
 public:
  explicit Api(std::string token) : client_(Stack().client()), token_(std::move(token)) {}
  Api() : client_(Stack().client()) {}

  // Signs in by password; returns the login response.
  httplib::Result login(const std::string& username, const std::string& password) {
    auto result =
        client_.Post("/api/v1/auth/login", R"({"username":")" + username + R"(","password":")" + password + R"("})",
                     "application/json");
    if (result && result->status == 200) {
      const std::string set_cookie = result->get_header_value("Set-Cookie");
      cookie_ = set_cookie.substr(0, set_cookie.find(';'));
      csrf_ = str(json(result->body)["csrf_token"]);
    }
    return result;
  }

  httplib::Headers headers(bool with_csrf = true) const {
    httplib::Headers headers;
    if (!token_.empty()) {
      headers.emplace("Authorization", "Bearer " + token_);
    }
    if (!cookie_.empty()) {
      headers.emplace("Cookie", cookie_);
      if (with_csrf) {
        headers.emplace("X-CSRF-Token", csrf_);
      }
    }
    return headers;
  }

  httplib::Result get(const std::string& path) { return client_.Get(path, headers()); }
  httplib::Result post(const std::string& path, const std::string& body, bool with_csrf = true) {
    return client_.Post(path, headers(with_csrf), body, "application/json");
  }
  httplib::Result patch(const std::string& path, const std::string& body) {
    return client_.Patch(path, headers(), body, "application/json");
  }
  httplib::Result put(const std::string& path, const std::string& body) {
    return client_.Put(path, headers(), body, "application/json");
  }
  httplib::Result del(const std::string& path) { return client_.Delete(path, headers()); }
  httplib::Result upload(const std::string& path, const std::string& file_name, const std::string& content,
                         const std::string& type = "") {
    httplib::MultipartFormDataItems items = {{"file", content, file_name, "application/octet-stream"}};
    if (!type.empty()) {
      items.push_back({"type", type, "", ""});
    }
    return client_.Post(path, headers(), items);
  }

  // POSTs and returns the new object's id, requiring 201.
  std::string create(const std::string& path, const std::string& body) {
    const auto result = post(path, body);
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 201,
                          path << " " << body << " -> " << result->status << " " << result->body);
    return str(json(result->body)["id"]);
  }

  const std::string& cookie() const { return cookie_; }

 private:
  httplib::Client client_;
  std::string token_;
  std::string cookie_;
  std::string csrf_;
};

// A fresh organization with an administrator and an operator, named uniquely per run.
struct Tenant {
  std::string slug;
  std::string id;
  std::string admin;
  std::string op;
};

std::string root_token() {
  static const std::string token = [] {
    const std::string name = "root" + fwhub::random_hex(4);
    admin_line("create-user " + name + " --superuser", "rootpassword1");
    std::string out = admin_line("create-token " + name + " tests");
    return out.substr(0, out.find('\n'));
  }();
  return token;
}

Tenant make_tenant() {
  Tenant t;
  t.slug = "org" + fwhub::random_hex(4);
  const std::string out = admin_line("create-organization " + t.slug + " " + t.slug);
  t.id = out.substr(out.rfind(' ') + 1, 36);
  t.admin = t.slug + "-admin";
  t.op = t.slug + "-op";
  admin_line("create-user " + t.admin + " --organization " + t.slug + " --role admin", "adminpassword");
  admin_line("create-user " + t.op + " --organization " + t.slug + " --role operator", "operatorpass");
  return t;
}

Api signed_in(const std::string& user, const std::string& password) {
  Api api;
  const auto result = api.login(user, password);
  BOOST_REQUIRE(result);
  BOOST_REQUIRE_MESSAGE(result->status == 200, result->body);
  return api;
}

// A sysupgrade image with fwtool metadata; `padding` random bytes in its root file system make it
// that much larger (gzip cannot shrink them).
std::string image_bytes(const std::string& board, const std::string& target, bool corrupt = false,
                        std::size_t padding = 0) {
  const std::string path = "/tmp/fwhub-fleet-test-" + fwhub::random_hex(6) + ".bin";
  const std::string padding_file =
      padding == 0 ? "" : ", 'usr/lib/padding.bin': os.urandom(" + std::to_string(padding) + ")";
  const std::string line = "python3 -c \"import os, sys; sys.path.insert(0, '" FWHUB_SOURCE_DIR
                           "/tests/doubles'); import openwrt_image as o; "
                           "img = o.build_image({'etc/banner': 'hi'" +
                           padding_file + "}, o.metadata(['" + board + "'], '23.05.4', 'r24012-d8dd03c46f', '" +
                           target +
                           "', 'x')); img = img[0] if isinstance(img, tuple) else img; "
                           "open('" +
                           path + "', 'wb').write(img)\"";
  BOOST_REQUIRE(Stack::run(line).first == 0);
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(path);
  if (corrupt) {
    bytes[bytes.size() / 3] ^= 0x55;
  }
  return bytes;
}

const std::string kUpgrader = "/api/v1/firmware-upgrader/";
const std::string kC7Name = "openwrt-23.05.4-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin";

std::filesystem::path firmware_folder() {
  return std::filesystem::path(Stack().state()) / "lib" / "firmware";
}

}  // namespace

BOOST_AUTO_TEST_CASE(sign_in_sessions_and_csrf) {
  const Tenant t = make_tenant();
  Api anonymous;
  const auto wrong = anonymous.login(t.admin, "not-the-password");
  BOOST_REQUIRE(wrong);
  BOOST_TEST(wrong->status == 401);
  BOOST_TEST(anonymous.get("/api/v1/auth/me")->status == 401);

  Api admin;
  const auto ok = admin.login(t.admin, "adminpassword");
  BOOST_REQUIRE(ok);
  BOOST_TEST(ok->status == 200);
  const std::string set_cookie = ok->get_header_value("Set-Cookie");
  BOOST_TEST(set_cookie.find("HttpOnly") != std::string::npos);
  BOOST_TEST(set_cookie.find("SameSite=Strict") != std::string::npos);
  BOOST_TEST(set_cookie.find("Secure") == std::string::npos);  // plain http here
  BOOST_TEST(admin.get("/api/v1/auth/me")->status == 200);

  // State changes with a session need the CSRF token.
  const auto forged = admin.post(kUpgrader + "category/", R"({"name":"no csrf"})", false);
  BOOST_TEST(forged->status == 403);
  BOOST_TEST(admin.post(kUpgrader + "category/", R"({"name":"with csrf"})")->status == 201);

  // Signing out ends the session on the server, not only in the browser.
  const std::string stolen_cookie = admin.cookie();
  BOOST_TEST(admin.post("/api/v1/auth/logout", "{}")->status == 204);
  httplib::Headers replay{{"Cookie", stolen_cookie}};
  BOOST_TEST(Stack().client().Get("/api/v1/auth/me", replay)->status == 401);
}

BOOST_AUTO_TEST_CASE(sign_in_is_throttled_per_user) {
  const Tenant t = make_tenant();
  Api api;
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(api.login(t.op, "wrong-password")->status == 401);
  }
  const auto blocked = api.login(t.op, "operatorpass");  // even the right password now waits
  BOOST_TEST(blocked->status == 429);
  BOOST_TEST(str(json(blocked->body)["detail"]).starts_with("too many failed sign-ins; try again in"));
  // Another user on the same address is not blocked.
  BOOST_TEST(api.login(t.admin, "adminpassword")->status == 200);
}

BOOST_AUTO_TEST_CASE(tokens_are_shown_once_and_revocable) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const auto created = admin.post("/api/v1/auth/tokens/", R"({"name":"automation"})");
  BOOST_REQUIRE(created->status == 201);
  const auto body = json(created->body);
  const std::string token = str(body["token"]);
  const std::string id = str(body["id"]);
  BOOST_TEST(token.starts_with("fwh_"));
  Api bot(token);
  BOOST_TEST(bot.get(kUpgrader + "category/")->status == 200);
  const auto listed = admin.get("/api/v1/auth/tokens/");
  BOOST_TEST(listed->body.find(token) == std::string::npos);  // never shown again
  BOOST_TEST(json(listed->body)["count"].GetInt() == 1);
  BOOST_TEST(admin.del("/api/v1/auth/tokens/" + id + "/")->status == 204);
  BOOST_TEST(bot.get(kUpgrader + "category/")->status == 401);
}

BOOST_AUTO_TEST_CASE(organizations_do_not_see_each_other) {
  const Tenant a = make_tenant();
  const Tenant b = make_tenant();
  Api root(root_token());
  Api admin_a = signed_in(a.admin, "adminpassword");
  Api admin_b = signed_in(b.admin, "adminpassword");
  Api operator_a = signed_in(a.op, "operatorpass");

  const std::string category = admin_a.create(kUpgrader + "category/", R"({"name":"Routers"})");
  const std::string shared_name = "Shared " + fwhub::random_hex(4);
  const std::string shared =
      root.create(kUpgrader + "category/", R"({"name":")" + shared_name + R"(","organization":null})");

  BOOST_TEST(admin_b.get(kUpgrader + "category/" + category + "/")->status == 404);
  BOOST_TEST(admin_b.patch(kUpgrader + "category/" + category + "/", R"({"name":"x"})")->status == 404);
  BOOST_TEST(admin_b.del(kUpgrader + "category/" + category + "/")->status == 404);
  const auto list_b = admin_b.get(kUpgrader + "category/");
  BOOST_TEST(list_b->body.find(category) == std::string::npos);
  BOOST_TEST(list_b->body.find(shared) != std::string::npos);  // shared: visible to all
  BOOST_TEST(admin_b.patch(kUpgrader + "category/" + shared + "/", R"({"name":"mine"})")->status == 403);
  BOOST_TEST(admin_b.post(kUpgrader + "category/", R"({"name":"x","organization":null})")->status == 400);

  // Operators read and do not change.
  BOOST_TEST(operator_a.get(kUpgrader + "category/" + category + "/")->status == 200);
  BOOST_TEST(operator_a.patch(kUpgrader + "category/" + category + "/", R"({"name":"y"})")->status == 403);
  BOOST_TEST(operator_a.del(kUpgrader + "category/" + category + "/")->status == 403);

  // ?organization=<slug> narrows a superuser's list.
  const auto narrowed = root.get(kUpgrader + "category/?organization=" + a.slug);
  BOOST_TEST(json(narrowed->body)["count"].GetInt() == 1);
  BOOST_TEST(root.get(kUpgrader + "category/?organization=" + b.slug)->body.find(category) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(validation_messages_are_keyed_by_field) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const auto missing = admin.post(kUpgrader + "category/", R"({"description":"no name"})");
  BOOST_TEST(missing->status == 400);
  BOOST_TEST(str(json(missing->body)["errors"]["name"][0]) == "This field is required.");
  const auto longer = admin.post(kUpgrader + "category/", R"({"name":")" + std::string(65, 'n') + R"("})");
  BOOST_TEST(str(json(longer->body)["errors"]["name"][0]) == "Ensure this field has no more than 64 characters.");
  admin.create(kUpgrader + "category/", R"({"name":"Twice"})");
  const auto twice = admin.post(kUpgrader + "category/", R"({"name":"Twice"})");
  BOOST_TEST(twice->status == 400);
  BOOST_TEST(str(json(twice->body)["errors"]["name"][0]) ==
             "A category with this name already exists in this organization.");
  BOOST_TEST(admin.post(kUpgrader + "category/", "not json")->status == 400);
  // Regression: deeply nested JSON overflowed the recursive parser's stack and killed the worker;
  // bodies nested more than 64 levels are refused as a whole (README "JSON depth").
  const std::string deep = R"({"name":)" + std::string(300000, '[') + std::string(300000, ']') + "}";
  const auto nested = admin.post(kUpgrader + "category/", deep);
  BOOST_REQUIRE(nested);
  BOOST_TEST(nested->status == 400);
  BOOST_TEST(str(json(nested->body)["detail"]).find("JSON nested more than 64 levels deep") != std::string::npos);
  const auto shallow =
      admin.post(kUpgrader + "category/", R"({"name":)" + std::string(63, '[') + std::string(63, ']') + "}");
  BOOST_REQUIRE(shallow);
  BOOST_TEST(str(json(shallow->body)["errors"]["name"][0]) == "Not a valid string.");
  // Regression: RapidJSON decodes an escaped lone surrogate into bytes that are not UTF-8.
  for (const char* text : {R"({"name":"a\udc00b"})", R"({"name":"a\ud800b"})", R"({"na\udfffme":"x"})"}) {
    const auto lone = admin.post(kUpgrader + "category/", text);
    BOOST_REQUIRE(lone);
    BOOST_TEST(lone->status == 400, text << " -> " << lone->status << " " << lone->body);
  }
  const auto pair = admin.post(kUpgrader + "category/", R"({"name":"Pair \ud83d\ude00"})");
  BOOST_REQUIRE(pair);
  BOOST_TEST(pair->status == 201, pair->body);
  BOOST_TEST(str(json(pair->body)["name"]) == "Pair \xF0\x9F\x98\x80");

  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Builds"})");
  admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"1.0","os":"OpenWrt 1"})");
  const auto same_os =
      admin.post(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"1.1","os":"OpenWrt 1"})");
  BOOST_TEST(same_os->status == 400);
  BOOST_TEST(json(same_os->body)["errors"].HasMember("os"));
  const auto same_version = admin.post(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"1.0"})");
  BOOST_TEST(str(json(same_version->body)["errors"]["version"][0]) ==
             "A build with this version already exists in this category.");
}

BOOST_AUTO_TEST_CASE(image_upload_reads_fwtool_metadata_and_checks_the_file) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Images"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"2"})");
  const std::string images = kUpgrader + "build/" + build + "/image/";
  const std::string c7 = image_bytes("tplink,archer-c7-v5", "ath79/generic");

  const auto uploaded = admin.upload(images, kC7Name, c7);
  BOOST_REQUIRE(uploaded);
  BOOST_REQUIRE_MESSAGE(uploaded->status == 201, uploaded->body);
  const auto image = json(uploaded->body);
  BOOST_TEST(str(image["type"]) == "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_TEST(image["size"].GetInt64() == static_cast<std::int64_t>(c7.size()));
  BOOST_TEST(str(image["metadata"]["version"]) == "23.05.4");
  bool has_board = false;
  for (const auto& board : image["boards"].GetArray()) {
    has_board = has_board || str(board) == "tplink,archer-c7-v5";
  }
  BOOST_TEST(has_board);
  // The build's empty os was filled from the image.
  BOOST_TEST(str(json(admin.get(kUpgrader + "build/" + build + "/")->body)["os"]) ==
             "OpenWrt 23.05.4 r24012-d8dd03c46f");
  const std::string image_id = str(image["id"]);
  BOOST_TEST(std::filesystem::exists(firmware_folder() / build / kC7Name));

  // Same type twice, a type for another board, a damaged image, a file that is no firmware.
  const auto twice = admin.upload(images, kC7Name, c7);
  BOOST_TEST(twice->status == 400);
  BOOST_TEST(json(twice->body)["errors"].HasMember("type"));
  const auto wrong_type =
      admin.upload(images, kC7Name, c7, "ath79-generic-tplink_archer-a7-v5-squashfs-sysupgrade.bin");
  BOOST_TEST(wrong_type->status == 400);
  BOOST_TEST(str(json(wrong_type->body)["errors"]["type"][0]).find("tplink,archer-c7-v5") != std::string::npos);
  const auto damaged = admin.upload(images, "openwrt-23.05.4-ath79-generic-tplink_archer-a7-v5-squashfs-sysupgrade.bin",
                                    image_bytes("tplink,archer-a7-v5", "ath79/generic", true));
  BOOST_TEST(damaged->status == 400);
  BOOST_TEST(str(json(damaged->body)["errors"]["file"][0]).find("damaged") != std::string::npos);
  const auto not_firmware = admin.upload(
      images, "openwrt-23.05.4-ath79-generic-tplink_archer-a7-v5-squashfs-sysupgrade.bin", std::string(4096, 'x'));
  BOOST_TEST(not_firmware->status == 400);
  BOOST_TEST(str(json(not_firmware->body)["errors"]["file"][0]).find("not an OpenWrt sysupgrade image") !=
             std::string::npos);
  const auto unknown = admin.upload(images, "something.bin", "abc");
  BOOST_TEST(str(json(unknown->body)["errors"]["type"][0]) == "Could not find boards for this type");
  const auto traversal = admin.upload(images, "../../etc/passwd", c7);
  BOOST_TEST(traversal->status == 400);
  // Refused uploads leave nothing behind.
  BOOST_TEST(std::filesystem::is_empty(firmware_folder() / ".incoming"));

  // Private download: anonymous 401, another organization 404, the owner gets the same bytes.
  const std::string download = images + image_id + "/download/";
  BOOST_TEST(Stack().client().Get(download)->status == 401);
  Api other = signed_in(make_tenant().admin, "adminpassword");
  BOOST_TEST(other.get(download)->status == 404);
  const auto file = admin.get(download);
  BOOST_TEST(file->status == 200);
  BOOST_TEST((file->body == c7));
  BOOST_TEST(file->get_header_value("Content-Disposition").find(kC7Name) != std::string::npos);

  // Deleting the image, then the build, removes the files.
  BOOST_TEST(admin.del(images + image_id + "/")->status == 204);
  BOOST_TEST(!std::filesystem::exists(firmware_folder() / build / kC7Name));
  BOOST_TEST(admin.upload(images, kC7Name, c7)->status == 201);
  BOOST_TEST(admin.del(kUpgrader + "build/" + build + "/")->status == 204);
  BOOST_TEST(!std::filesystem::exists(firmware_folder() / build));
}

// Regression (found by tests/chaos): an image of another type under a file name already taken in
// the build replaced the first image's file, so upgrades to the first image failed their checksum.
BOOST_AUTO_TEST_CASE(an_image_under_a_file_name_taken_in_its_build_is_refused) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Names"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"3"})");
  const std::string images = kUpgrader + "build/" + build + "/image/";
  const std::string c7 = image_bytes("tplink,archer-c7-v5", "ath79/generic");
  const auto first = admin.upload(images, kC7Name, c7);
  BOOST_REQUIRE(first && first->status == 201);

  const auto same_name =
      admin.upload(images, kC7Name, image_bytes("glinet,gl-mt300n-v2", "ramips/mt76x8"), "sim-mt300n-sysupgrade.bin");
  BOOST_REQUIRE(same_name);
  BOOST_TEST(same_name->status == 400, same_name->body);
  BOOST_TEST(str(json(same_name->body)["errors"]["file"][0]) ==
             "An image with this file name already exists in this build.");
  BOOST_TEST(std::filesystem::is_empty(firmware_folder() / ".incoming"));
  const auto file = admin.get(images + str(json(first->body)["id"]) + "/download/");
  BOOST_TEST(file->status == 200);
  BOOST_TEST((file->body == c7));
}

BOOST_AUTO_TEST_CASE(uploads_over_the_limit_are_refused) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Big"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"3"})");
  const auto big = admin.upload(kUpgrader + "build/" + build + "/image/", kC7Name,
                                std::string(std::size_t{30} * 1024 * 1024 + 1, 'x'));
  BOOST_REQUIRE(big);
  BOOST_TEST(big->status == 413);
  BOOST_TEST(std::filesystem::is_empty(firmware_folder() / ".incoming"));
}

BOOST_AUTO_TEST_CASE(uploads_exactly_at_the_limit_pass_and_interrupted_ones_leave_nothing) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Edges"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"7"})");
  const std::string images = kUpgrader + "build/" + build + "/image/";
  // Exactly 30 MiB passes the size limit (and is then refused for what it is, not for its size).
  const auto at_limit = admin.upload(images, kC7Name, std::string(std::size_t{30} * 1024 * 1024, 'x'));
  BOOST_REQUIRE(at_limit);
  BOOST_TEST(at_limit->status == 400);
  BOOST_TEST(json(at_limit->body)["errors"].HasMember("file"));
  // A client that goes away in the middle of the body: no file, no row.
  const std::string token = admin_line("create-token " + t.admin + " interrupted");
  const int fd = connect_to_stack();
  const std::string head = "POST " + images + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                           token.substr(0, token.find('\n')) +
                           "\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: 2000000\r\n\r\n"
                           "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.bin\"\r\n\r\n";
  const std::string part(500'000, 'c');
  BOOST_REQUIRE(::send(fd, head.data(), head.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(head.size()));
  BOOST_REQUIRE(::send(fd, part.data(), part.size(), MSG_NOSIGNAL) > 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  ::close(fd);
  bool clean = false;
  for (int i = 0; i < 40 && !clean; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    clean = std::filesystem::is_empty(firmware_folder() / ".incoming");
  }
  BOOST_TEST(clean);
  BOOST_TEST(json(admin.get(images)->body)["count"].GetInt() == 0);
  BOOST_TEST(!std::filesystem::exists(firmware_folder() / build));
}

BOOST_AUTO_TEST_CASE(a_slow_upload_arrives_whole_while_other_requests_are_answered) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  admin.create("/api/v1/devices/", R"({"name":"while-uploading"})");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Slow"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"8"})");
  const std::string image = image_bytes("tplink,archer-c7-v5", "ath79/generic", false, std::size_t{1024} * 1024);
  const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + kC7Name +
                           "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + image + "\r\n--XyZ--\r\n";
  const std::string token = admin_line("create-token " + t.admin + " slow");
  // HTTP/1.0: the answer ends when nginx closes the connection.
  const int fd = connect_to_stack();
  const std::string head = "POST " + kUpgrader + "build/" + build + "/image/ HTTP/1.0\r\nHost: 127.0.0.1\r\n" +
                           "Authorization: Bearer " + token + "\r\nContent-Type: multipart/form-data; boundary=XyZ" +
                           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  BOOST_REQUIRE(send_all(fd, head));
  // About 1 MiB in 16 slices, one every 300 ms (~200 KiB/s). Between slices, while the upload
  // holds one API thread, the health check and a device list are answered by the others.
  httplib::Client other = Stack().client();
  other.set_read_timeout(5);
  constexpr std::size_t kSlices = 16;
  const std::size_t slice = body.size() / kSlices + 1;
  bool streamed = false;
  for (std::size_t offset = 0; offset < body.size(); offset += slice) {
    BOOST_REQUIRE(send_all(fd, std::string_view(body).substr(offset, slice)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const auto health = other.Get("/api/v1/health");
    BOOST_REQUIRE_MESSAGE(health, "no answer to the health check during the upload");
    BOOST_TEST(health->status == 200);
    const auto devices = admin.get("/api/v1/devices/");
    BOOST_REQUIRE_MESSAGE(devices, "no answer to the device list during the upload");
    BOOST_TEST(json(devices->body)["count"].GetInt() == 1);
    streamed = streamed || !std::filesystem::is_empty(firmware_folder() / ".incoming");
  }
  BOOST_TEST(streamed);  // the API wrote the file while it arrived: nginx did not hold the body back
  const std::string answer = read_until_closed(fd);
  ::close(fd);
  BOOST_REQUIRE_MESSAGE(answer.starts_with("HTTP/1.1 201"), answer.substr(0, 400));
  const auto created = json(answer.substr(answer.find("\r\n\r\n") + 4));
  BOOST_TEST(str(created["sha256"]) == fwhub::sha256_hex(image));
  BOOST_TEST(created["size"].GetUint64() == image.size());
  std::ifstream in(firmware_folder() / build / kC7Name, std::ios::binary);
  const std::string stored((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_TEST(fwhub::sha256_hex(stored) == fwhub::sha256_hex(image));
}

BOOST_AUTO_TEST_CASE(devices_credentials_and_firmware_rules) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Fleet"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"4"})");
  const auto uploaded = admin.upload(kUpgrader + "build/" + build + "/image/", kC7Name,
                                     image_bytes("tplink,archer-c7-v5", "ath79/generic"));
  BOOST_REQUIRE(uploaded->status == 201);
  const std::string image = str(json(uploaded->body)["id"]);

  const std::string c7 =
      admin.create("/api/v1/devices/", R"({"name":"ap-1","model":"TP-Link Archer C7 v5",)"
                                       R"("board_name":"tplink,archer-c7-v5","management_ip":"127.0.0.1"})");
  const std::string other = admin.create("/api/v1/devices/", R"({"name":"ap-2","model":"Other Router"})");
  BOOST_TEST(admin.post("/api/v1/devices/", R"({"name":"ap-1"})")->status == 400);

  // Without a connection, no firmware.
  const auto unconnected = admin.put(kUpgrader + "device/" + c7 + "/firmware/", R"({"image":")" + image + R"("})");
  BOOST_TEST(unconnected->status == 400);
  BOOST_TEST(str(json(unconnected->body)["errors"]["image"][0]).find("does not have a related connection") !=
             std::string::npos);

  // Credentials: the secret is never shown; auto_add connects every device of the organization.
  const auto credentials = admin.post(
      "/api/v1/credentials/", R"({"name":"root","username":"root","password":"device-secret-1","auto_add":true})");
  BOOST_REQUIRE_MESSAGE(credentials->status == 201, credentials->body);
  BOOST_TEST(credentials->body.find("device-secret-1") == std::string::npos);
  BOOST_TEST(json(admin.get("/api/v1/devices/" + c7 + "/connections/")->body)["count"].GetInt() == 1);
  BOOST_TEST(admin.post("/api/v1/credentials/", R"({"name":"both","username":"r","password":"p","private_key":"k"})")
                 ->status == 400);

  const auto mismatch = admin.put(kUpgrader + "device/" + other + "/firmware/", R"({"image":")" + image + R"("})");
  BOOST_TEST(str(json(mismatch->body)["errors"]["image"][0]) == "Device model and image model do not match");
  const auto set = admin.put(kUpgrader + "device/" + c7 + "/firmware/", R"({"image":")" + image + R"("})");
  BOOST_TEST(set->status == 201);
  BOOST_TEST(str(json(admin.get(kUpgrader + "device/" + c7 + "/firmware/")->body)["image"]) == image);

  BOOST_TEST(admin.patch("/api/v1/devices/" + c7 + "/", R"({"deactivated":true})")->status == 200);
  const auto deactivated = admin.put(kUpgrader + "device/" + c7 + "/firmware/", R"({"image":")" + image + R"("})");
  BOOST_TEST(deactivated->status == 403);
  BOOST_TEST(str(json(deactivated->body)["detail"]) == "Firmware upgrades are not allowed for deactivated devices.");

  // Another organization's image does not fit this device.
  Api other_admin = signed_in(make_tenant().admin, "adminpassword");
  BOOST_TEST(other_admin.get("/api/v1/devices/" + c7 + "/")->status == 404);
  BOOST_TEST(other_admin.get(kUpgrader + "device/" + c7 + "/firmware/")->status == 404);
}

BOOST_AUTO_TEST_CASE(lists_paginate_filter_and_order) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  for (int i = 0; i < 12; ++i) {
    admin.create("/api/v1/devices/", R"({"name":"dev-)" + std::to_string(100 + i) + R"(","group":")" +
                                         (i % 2 == 0 ? "even" : "odd") + R"("})");
  }
  const auto first = json(admin.get("/api/v1/devices/?page_size=5")->body);
  BOOST_TEST(first["count"].GetInt() == 12);
  BOOST_TEST(first["results"].Size() == 5U);
  BOOST_TEST(str(first["next"]).find("page=2") != std::string::npos);
  BOOST_TEST(first["previous"].IsNull());
  const auto last = json(admin.get("/api/v1/devices/?page_size=5&page=3")->body);
  BOOST_TEST(last["results"].Size() == 2U);
  BOOST_TEST(last["next"].IsNull());
  const auto even = json(admin.get("/api/v1/devices/?group=even&ordering=-name")->body);
  BOOST_TEST(even["count"].GetInt() == 6);
  BOOST_TEST(str(even["results"][0]["name"]) == "dev-110");
  BOOST_TEST(admin.get("/api/v1/devices/?ordering=password")->status == 400);
  BOOST_TEST(admin.get("/api/v1/devices/?nonsense=1")->status == 400);
  BOOST_TEST(admin.get("/api/v1/devices/?page=0")->status == 400);
  BOOST_TEST(json(admin.get("/api/v1/devices/?page_size=1000")->body)["results"].Size() == 12U);
}

BOOST_AUTO_TEST_CASE(deleting_an_organization_removes_its_files) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"Gone"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"5"})");
  BOOST_TEST(admin
                 .upload(kUpgrader + "build/" + build + "/image/", kC7Name,
                         image_bytes("tplink,archer-c7-v5", "ath79/generic"))
                 ->status == 201);
  BOOST_TEST(std::filesystem::exists(firmware_folder() / build));
  BOOST_TEST(admin.del("/api/v1/organizations/" + t.id + "/")->status == 403);  // superusers only
  Api root(root_token());
  BOOST_TEST(root.del("/api/v1/organizations/" + t.id + "/")->status == 204);
  BOOST_TEST(!std::filesystem::exists(firmware_folder() / build));
  BOOST_TEST(root.get(kUpgrader + "build/" + build + "/")->status == 404);
}

BOOST_AUTO_TEST_CASE(builds_made_from_the_catalog_get_their_images_attached) {
  const Tenant t = make_tenant();
  Api admin = signed_in(t.admin, "adminpassword");
  const std::string category = admin.create(kUpgrader + "category/", R"({"name":"From catalog"})");
  const std::string build = admin.create(kUpgrader + "build/", R"({"category":")" + category + R"(","version":"6"})");
  const std::string sources = kUpgrader + "build/" + build + "/catalog-build/";
  const auto unknown = admin.post(sources, R"({"version":"23.05.4","target":"ath79/generic","profiles":["nope"]})");
  BOOST_TEST(unknown->status == 400);
  BOOST_TEST(admin.post(sources, R"({"version":"23.05.4","target":"ath79/generic"})")->status == 400);
  const std::string marker = fwhub::random_hex(4);  // a fresh request: not answered from an earlier build
  const auto requested = admin.post(sources, R"({"version":"23.05.4","target":"ath79/generic",)"
                                             R"("profiles":["tplink_archer-c7-v5"],"packages":["tcpdump"],)"
                                             R"("defaults":"echo )" +
                                                 marker + R"("})");
  BOOST_REQUIRE(requested);
  BOOST_REQUIRE_MESSAGE(requested->status == 202, requested->body);
  std::string status = "building";
  for (int i = 0; i < 240 && status == "building"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto listed = json(admin.get(sources)->body);
    BOOST_REQUIRE(listed["count"].GetInt() == 1);
    status = str(listed["results"][0]["status"]);
    if (status == "failed") {
      BOOST_FAIL("catalog build failed: " << str(listed["results"][0]["detail"]));
    }
  }
  BOOST_REQUIRE(status == "attached");
  const auto images = json(admin.get(kUpgrader + "build/" + build + "/image/")->body);
  BOOST_REQUIRE(images["count"].GetInt() == 1);
  BOOST_TEST(str(images["results"][0]["type"]) == "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_TEST(str(images["results"][0]["metadata"]["version"]) == "23.05.4");
  BOOST_TEST(std::filesystem::exists(firmware_folder() / build / str(images["results"][0]["file_name"])));
}
