// Access over every route of the API's route table (make_routes(), the table fwhub-api serves, not
// a list typed here): anonymous gets 401 wherever frontend/openapi.json asks for credentials, an
// administrator of organization B gets 404 for each object of organization A on every method and
// A's objects are unchanged afterwards. A route missing from kScopes below fails the test, so the
// walk grows with the table: classify a new route there.
#define BOOST_TEST_MODULE route_access
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "fwhub/api/router.hpp"
#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/route_table.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::json;
using fwhub::testing::Stack;
using fwhub::testing::str;

namespace {

// What a route reaches, which decides what an administrator of another organization may get.
enum class Scope {
  kPublic,      // no credentials (the ASU API, statistics, health)
  kSignIn,      // the sign-in itself
  kOwnAccount,  // the caller's own account, sessions and token list
  kCollection,  // a list or create without another organization's object in the path
  kObject,      // an object of an organization named in the path: 404 to everyone else
};

const std::string kUp = "/api/v1/firmware-upgrader/";

// Every route of make_routes(). {id} and the other parameters name objects of organization A.
const std::map<std::string, Scope> kScopes = {
    {"GET /api/v1/health", Scope::kPublic},
    {"GET /api/v1/metrics", Scope::kPublic},  // no credentials: nginx admits the allowed networks only
    {"GET /api/v1/revision/{version}/{target}/{subtarget}", Scope::kPublic},
    {"POST /api/v1/build", Scope::kPublic},
    {"GET /api/v1/build/{request_hash}", Scope::kPublic},
    {"GET /api/v1/stats", Scope::kPublic},
    {"GET /api/v1/builds-per-day", Scope::kPublic},
    {"GET /api/v1/builds-by-version", Scope::kPublic},
    {"GET /api/v1/top-packages", Scope::kPublic},
    {"GET /api/v1/build-errors", Scope::kPublic},
    {"POST /api/v1/auth/login", Scope::kSignIn},
    {"POST /api/v1/auth/logout", Scope::kOwnAccount},
    {"GET /api/v1/auth/me", Scope::kOwnAccount},
    {"GET /api/v1/auth/tokens/", Scope::kOwnAccount},
    {"POST /api/v1/auth/tokens/", Scope::kOwnAccount},
    {"DELETE /api/v1/auth/tokens/{id}/", Scope::kObject},
    {"GET /api/v1/organizations/", Scope::kCollection},
    {"POST /api/v1/organizations/", Scope::kCollection},
    {"GET /api/v1/organizations/{id}/", Scope::kObject},
    {"PUT /api/v1/organizations/{id}/", Scope::kObject},
    {"PATCH /api/v1/organizations/{id}/", Scope::kObject},
    {"DELETE /api/v1/organizations/{id}/", Scope::kObject},
    {"GET /api/v1/users/", Scope::kCollection},
    {"POST /api/v1/users/", Scope::kCollection},
    {"GET /api/v1/users/{id}/", Scope::kObject},
    {"PUT /api/v1/users/{id}/", Scope::kObject},
    {"PATCH /api/v1/users/{id}/", Scope::kObject},
    {"DELETE /api/v1/users/{id}/", Scope::kObject},
    {"GET /api/v1/devices/", Scope::kCollection},
    {"POST /api/v1/devices/", Scope::kCollection},
    {"GET /api/v1/devices/{id}/", Scope::kObject},
    {"PUT /api/v1/devices/{id}/", Scope::kObject},
    {"PATCH /api/v1/devices/{id}/", Scope::kObject},
    {"DELETE /api/v1/devices/{id}/", Scope::kObject},
    {"GET /api/v1/credentials/", Scope::kCollection},
    {"POST /api/v1/credentials/", Scope::kCollection},
    {"GET /api/v1/credentials/{id}/", Scope::kObject},
    {"PUT /api/v1/credentials/{id}/", Scope::kObject},
    {"PATCH /api/v1/credentials/{id}/", Scope::kObject},
    {"DELETE /api/v1/credentials/{id}/", Scope::kObject},
    {"POST /api/v1/devices/{id}/refresh/", Scope::kObject},
    {"GET /api/v1/devices/{id}/connections/", Scope::kObject},
    {"POST /api/v1/devices/{id}/connections/", Scope::kObject},
    {"GET /api/v1/devices/{id}/connections/{connection}/", Scope::kObject},
    {"PATCH /api/v1/devices/{id}/connections/{connection}/", Scope::kObject},
    {"DELETE /api/v1/devices/{id}/connections/{connection}/", Scope::kObject},
    {"GET " + kUp + "category/", Scope::kCollection},
    {"POST " + kUp + "category/", Scope::kCollection},
    {"GET " + kUp + "category/{id}/", Scope::kObject},
    {"PUT " + kUp + "category/{id}/", Scope::kObject},
    {"PATCH " + kUp + "category/{id}/", Scope::kObject},
    {"DELETE " + kUp + "category/{id}/", Scope::kObject},
    {"GET " + kUp + "build/", Scope::kCollection},
    {"POST " + kUp + "build/", Scope::kCollection},
    {"GET " + kUp + "build/{id}/", Scope::kObject},
    {"PUT " + kUp + "build/{id}/", Scope::kObject},
    {"PATCH " + kUp + "build/{id}/", Scope::kObject},
    {"DELETE " + kUp + "build/{id}/", Scope::kObject},
    {"GET " + kUp + "build/{build}/image/", Scope::kObject},
    {"POST " + kUp + "build/{build}/image/", Scope::kObject},
    {"GET " + kUp + "build/{build}/image/{id}/", Scope::kObject},
    {"DELETE " + kUp + "build/{build}/image/{id}/", Scope::kObject},
    {"GET " + kUp + "build/{build}/image/{id}/download/", Scope::kObject},
    {"GET " + kUp + "build/{build}/catalog-build/", Scope::kObject},
    {"POST " + kUp + "build/{build}/catalog-build/", Scope::kObject},
    {"GET " + kUp + "device/{id}/firmware/", Scope::kObject},
    {"PUT " + kUp + "device/{id}/firmware/", Scope::kObject},
    {"PATCH " + kUp + "device/{id}/firmware/", Scope::kObject},
    {"GET " + kUp + "device/{id}/upgrade-operation/", Scope::kObject},
    {"GET " + kUp + "build/{build}/upgrade/", Scope::kObject},
    {"POST " + kUp + "build/{build}/upgrade/", Scope::kObject},
    {"GET " + kUp + "batch-upgrade-operation/", Scope::kCollection},
    {"GET " + kUp + "batch-upgrade-operation/{id}/", Scope::kObject},
    {"GET " + kUp + "batch-upgrade-operation/{id}/progress/", Scope::kObject},
    {"POST " + kUp + "batch-upgrade-operation/{id}/cancel/", Scope::kObject},
    {"POST " + kUp + "batch-upgrade-operation/{id}/pause/", Scope::kObject},
    {"POST " + kUp + "batch-upgrade-operation/{id}/resume/", Scope::kObject},
    {"GET " + kUp + "upgrade-operation/", Scope::kCollection},
    {"GET " + kUp + "upgrade-operation/{id}/", Scope::kObject},
    {"POST " + kUp + "upgrade-operation/{id}/cancel/", Scope::kObject},
};

using Route = fwhub::testing::RouteEntry;

// True when frontend/openapi.json asks for credentials on the operation (a non-empty security).
bool documented_as_authenticated(const rapidjson::Document& openapi, const Route& route) {
  const auto* operation = fwhub::testing::documented_operation(openapi, route);
  return operation != nullptr && operation->HasMember("security") && (*operation)["security"].IsArray() &&
         !(*operation)["security"].Empty();
}

std::string sql(const std::string& query) {
  const auto [status, output] = Stack().sql(query);
  BOOST_REQUIRE_MESSAGE(status == 0, query << ": " << output);
  return output;
}

// How many times the API's supervisor replaced a worker that died, by its log.
int replaced_workers() {
  std::ifstream log(Stack().state() + "/log/api.log");
  int count = 0;
  for (std::string line; std::getline(log, line);) {
    count += line.find("starting a replacement") != std::string::npos ? 1 : 0;
  }
  return count;
}

httplib::Result call(const std::string& token, const std::string& method, const std::string& path,
                     const std::string& body = "{}") {
  auto client = Stack().client();
  httplib::Headers headers;
  if (!token.empty()) {
    headers.emplace("Authorization", "Bearer " + token);
  }
  if (method == "GET") {
    return client.Get(path, headers);
  }
  if (method == "POST") {
    return client.Post(path, headers, body, "application/json");
  }
  if (method == "PUT") {
    return client.Put(path, headers, body, "application/json");
  }
  if (method == "PATCH") {
    return client.Patch(path, headers, body, "application/json");
  }
  return client.Delete(path, headers);
}

// Organization A with one object of every kind the routes name, and an administrator of B.
struct World {
  std::string slug_a = "ra" + fwhub::random_hex(4);
  std::string slug_b = "rb" + fwhub::random_hex(4);
  std::string token_a;
  std::string token_b;
  std::string token_b_operator;
  std::string token_nobody;                // signed in, member of no organization
  std::string token_deactivated;           // a token of an account deactivated afterwards (in the database)
  std::map<std::string, std::string> ids;  // kind ("device", "build", ...) -> id of A's object

  World() {
    const auto last_word = [](const std::string& line) { return line.substr(line.rfind(' ') + 1); };
    ids["organization"] = last_word(admin_line("create-organization " + slug_a + " " + slug_a));
    admin_line("create-organization " + slug_b + " " + slug_b);
    const std::string user =
        admin_line("create-user " + slug_a + "-admin --organization " + slug_a + " --role admin", "routepassword");
    ids["user"] = user.substr(user.rfind('(') + 1, user.rfind(')') - user.rfind('(') - 1);
    admin_line("create-user " + slug_b + "-admin --organization " + slug_b + " --role admin", "routepassword");
    admin_line("create-user " + slug_b + "-op --organization " + slug_b + " --role operator", "routepassword");
    admin_line("create-user " + slug_b + "-nobody", "routepassword");
    admin_line("create-user " + slug_a + "-gone --organization " + slug_a + " --role admin", "routepassword");
    token_a = admin_line("create-token " + slug_a + "-admin a");
    token_b = admin_line("create-token " + slug_b + "-admin b");
    token_b_operator = admin_line("create-token " + slug_b + "-op b");
    token_nobody = admin_line("create-token " + slug_b + "-nobody n");
    token_deactivated = admin_line("create-token " + slug_a + "-gone g");
    sql("UPDATE users SET is_active = 0 WHERE username = '" + slug_a + "-gone'");
    ids["token"] = str(json(call(token_a, "GET", "/api/v1/auth/tokens/")->body)["results"][0]["id"]);
    ids["category"] = create(kUp + "category/", R"({"name":"R"})");
    ids["build"] = create(kUp + "build/", R"({"category":")" + ids["category"] + R"(","version":"1"})");
    ids["device"] = create("/api/v1/devices/", R"({"name":"r1"})");
    ids["credentials"] =
        create("/api/v1/credentials/", R"({"name":"r","username":"root","password":"route-secret-1"})");
    Stack().remember_secret("route-secret-1");
    ids["connection"] = create("/api/v1/devices/" + ids["device"] + "/connections/",
                               R"({"credentials":")" + ids["credentials"] + "\"}");
    // Images, batches and operations need firmware files and devices that answer over SSH to
    // come about through the API; rows of finished ones are enough for access checks.
    const std::string org = ids["organization"];
    ids["image"] = fwhub::random_uuid();
    sql("INSERT INTO fw_images (id, build_id, organization_id, type, file_name, size, sha256, boards, metadata) "
        "VALUES ('" +
        ids["image"] + "','" + ids["build"] + "','" + org + "','sysupgrade','r.bin',1,REPEAT('0',64),'[]','{}')");
    ids["batch"] = fwhub::random_uuid();
    sql("INSERT INTO batch_upgrade_operations (id, organization_id, build_id, status, upgrade_options, stop_reason) "
        "VALUES ('" +
        ids["batch"] + "','" + org + "','" + ids["build"] + "','success','{}','')");
    ids["operation"] = fwhub::random_uuid();
    sql("INSERT INTO upgrade_operations (id, device_id, organization_id, image_id, batch_id, status, "
        "upgrade_options, log) VALUES ('" +
        ids["operation"] + "','" + ids["device"] + "','" + org + "','" + ids["image"] + "','" + ids["batch"] +
        "','success','{}','')");
  }

  std::string create(const std::string& path, const std::string& body) {
    const auto result = call(token_a, "POST", path, body);
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 201, path << " " << body << " -> " << result->body);
    return str(json(result->body)["id"]);
  }

  // The pattern with each parameter replaced by A's object it names; fails on an unknown one.
  std::string path(const std::string& pattern) {
    // The object kind of "{id}" after each collection segment.
    static const std::map<std::string, std::string> kIdAfter = {{"organizations", "organization"},
                                                                {"users", "user"},
                                                                {"devices", "device"},
                                                                {"credentials", "credentials"},
                                                                {"category", "category"},
                                                                {"build", "build"},
                                                                {"image", "image"},
                                                                {"device", "device"},
                                                                {"batch-upgrade-operation", "batch"},
                                                                {"upgrade-operation", "operation"},
                                                                {"tokens", "token"}};
    static const std::map<std::string, std::string> kFixed = {
        {"version", "23.05.4"}, {"target", "ath79"}, {"subtarget", "generic"}, {"request_hash", std::string(64, 'a')}};
    std::string out;
    std::string previous;
    for (const auto& segment : fwhub::api::split_path(pattern)) {
      std::string value = segment;
      if (segment.starts_with('{')) {
        const std::string name = segment.substr(1, segment.size() - 2);
        if (kFixed.contains(name)) {
          value = kFixed.at(name);
        } else {
          const std::string kind = name == "id" && kIdAfter.contains(previous) ? kIdAfter.at(previous) : name;
          BOOST_REQUIRE_MESSAGE(ids.contains(kind), pattern << ": no object for " << segment << " after " << previous
                                                            << " (teach World::path)");
          value = ids.at(kind);
        }
      }
      out += "/" + value;
      previous = segment;
    }
    return out;
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(every_route_is_classified_and_documented_alike) {
  const auto document = fwhub::testing::openapi_document();
  const auto table = fwhub::testing::route_table();
  BOOST_TEST(table.size() >= kScopes.size());
  std::set<std::string> routed;
  for (const auto& route : table) {
    const std::string key = route.method + " " + route.pattern;
    routed.insert(key);
    BOOST_TEST_CONTEXT(key) {
      BOOST_REQUIRE_MESSAGE(kScopes.contains(key), "unclassified route: add it to kScopes");
      const Scope scope = kScopes.at(key);
      const bool open = scope == Scope::kPublic || scope == Scope::kSignIn;
      BOOST_TEST(documented_as_authenticated(document, route) == !open, "openapi.json security disagrees");
    }
  }
  for (const auto& [key, scope] : kScopes) {
    BOOST_TEST(routed.contains(key), key << " is classified but not routed: drop it from kScopes");
  }
}

// Anonymous, and a token whose account was deactivated after it was made.
BOOST_AUTO_TEST_CASE(anonymous_gets_401_wherever_credentials_are_needed) {
  World world;
  for (const std::string& token : {std::string(), world.token_deactivated}) {
    for (const auto& route : fwhub::testing::route_table()) {
      const std::string key = route.method + " " + route.pattern + (token.empty() ? "" : " (deactivated)");
      BOOST_REQUIRE_MESSAGE(kScopes.contains(route.method + " " + route.pattern), key << ": unclassified route");
      const Scope scope = kScopes.at(route.method + " " + route.pattern);
      const auto result = call(token, route.method, world.path(route.pattern));
      BOOST_REQUIRE_MESSAGE(result, key);
      BOOST_TEST(result->status < 500, key << " -> " << result->status << " " << result->body);
      if (scope == Scope::kPublic || scope == Scope::kSignIn) {
        BOOST_TEST(result->status != 401, key << " -> " << result->body);
      } else {
        BOOST_TEST(result->status == 401, key << " -> " << result->status << " " << result->body);
      }
    }
  }
}

namespace {

// The path with each of A's objects replaced by an id that names nothing.
std::string ghost_path(World& world, std::string path) {
  for (const auto& [kind, id] : world.ids) {
    for (auto at = path.find(id); at != std::string::npos; at = path.find(id)) {
      path.replace(at, id.size(), fwhub::random_uuid());
    }
  }
  return path;
}

}  // namespace

// Regression (issue 16): a signed-in user of no organization sent a value nested 100,000 deep to
// routes naming any id and killed an API worker, because the body was parsed before any access
// check. Every route, as each principal outside organization A, with an empty and a deep body:
// never a 5xx; 404 for every object of A (a deep body: 404, or the depth refusal that ids naming
// nothing get too); and the pool's workers are the same processes after.
BOOST_AUTO_TEST_CASE(principals_outside_the_organization_get_404_whatever_the_body) {
  World world;
  const std::string deep = R"({"upgrade_options":)" + std::string(100'000, '[') + std::string(100'000, ']') + "}";
  const int api = Stack().pid_of("api");
  const int replaced_before = replaced_workers();
  int objects = 0;
  for (const auto& [name, token] :
       std::vector<std::pair<std::string, std::string>>{{"B's administrator", world.token_b},
                                                        {"B's operator", world.token_b_operator},
                                                        {"a user of no organization", world.token_nobody}}) {
    for (const auto& route : fwhub::testing::route_table()) {
      const std::string key = route.method + " " + route.pattern;
      BOOST_REQUIRE_MESSAGE(kScopes.contains(key), key << ": unclassified route");
      const bool has_body = route.method == "POST" || route.method == "PUT" || route.method == "PATCH";
      for (const std::string& body : has_body ? std::vector<std::string>{"{}", deep} : std::vector<std::string>{"{}"}) {
        const auto result = call(token, route.method, world.path(route.pattern), body);
        const std::string what = key + " as " + name + (body.size() > 2 ? " (deep body)" : "");
        BOOST_REQUIRE_MESSAGE(result, what << ": no answer");
        BOOST_TEST(result->status < 500, what << " -> " << result->status << " " << result->body.substr(0, 200));
        if (kScopes.at(key) == Scope::kObject && body == deep) {
          // Routes that read their body before the object (the generic create and update) refuse
          // it as too deep (400): the same answer as for ids that name nothing, so no oracle.
          ++objects;
          const auto ghost = call(token, route.method, ghost_path(world, world.path(route.pattern)), body);
          BOOST_REQUIRE_MESSAGE(ghost, what << " (unknown ids): no answer");
          BOOST_TEST((result->status == 404 || result->body.find("nested more than") != std::string::npos),
                     what << " -> " << result->status << " " << result->body.substr(0, 200));
          BOOST_TEST(result->status == ghost->status,
                     what << ": " << result->status << " for A's objects, " << ghost->status << " for unknown ids");
        } else if (kScopes.at(key) == Scope::kObject) {
          ++objects;
          BOOST_TEST(result->status == 404, what << " -> " << result->status << " " << result->body.substr(0, 200));
        }
      }
    }
  }
  BOOST_TEST(objects >= 3 * 40);
  BOOST_TEST(Stack().pid_of("api") == api);
  BOOST_TEST(replaced_workers() == replaced_before, "an API worker died during the walk (see log/api.log)");
}

BOOST_AUTO_TEST_CASE(another_organizations_administrator_gets_404_for_every_object) {
  World world;
  // A's objects as A sees them, to compare after B tried every method on them.
  std::map<std::string, std::string> before;
  const std::vector<std::string> readable = {
      "/api/v1/devices/" + world.ids["device"] + "/",
      "/api/v1/credentials/" + world.ids["credentials"] + "/",
      kUp + "category/" + world.ids["category"] + "/",
      kUp + "build/" + world.ids["build"] + "/",
      kUp + "build/" + world.ids["build"] + "/image/" + world.ids["image"] + "/",
      kUp + "batch-upgrade-operation/" + world.ids["batch"] + "/progress/",
      kUp + "upgrade-operation/" + world.ids["operation"] + "/",
      "/api/v1/devices/" + world.ids["device"] + "/connections/" + world.ids["connection"] + "/",
      "/api/v1/organizations/" + world.ids["organization"] + "/",
      "/api/v1/users/" + world.ids["user"] + "/"};
  for (const auto& path : readable) {
    const auto result = call(world.token_a, "GET", path);
    BOOST_REQUIRE_MESSAGE(result && result->status == 200, path << " as A: " << (result ? result->body : ""));
    before[path] = result->body;
  }
  int objects = 0;
  for (const auto& route : fwhub::testing::route_table()) {
    const std::string key = route.method + " " + route.pattern;
    BOOST_REQUIRE_MESSAGE(kScopes.contains(key), key << ": unclassified route");
    const std::string path = world.path(route.pattern);
    const auto result = call(world.token_b, route.method, path);
    BOOST_REQUIRE_MESSAGE(result, key);
    BOOST_TEST(result->status < 500, key << " -> " << result->status << " " << result->body);
    if (kScopes.at(key) == Scope::kObject) {
      ++objects;
      BOOST_TEST(result->status == 404, key << " as B -> " << result->status << " " << result->body);
    }
    // Whatever B may call, it never shows one of A's objects it did not name itself.
    for (const auto& [kind, id] : world.ids) {
      if (path.find(id) == std::string::npos) {
        BOOST_TEST(result->body.find(id) == std::string::npos, key << " as B shows A's " << kind);
      }
    }
  }
  BOOST_TEST(objects >= 40);
  for (const auto& path : readable) {
    const auto result = call(world.token_a, "GET", path);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == 200, path);
    BOOST_TEST(result->body == before[path], path << " changed while B tried every method on it");
  }
}
