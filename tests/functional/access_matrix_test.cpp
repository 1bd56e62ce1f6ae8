// The access matrix of fleet management: for each resource and method, anonymous, an operator
// and an administrator of the owning organization, an administrator of another organization and
// a superuser — on an organization's object and on a shared one — every cell asserted.
#define BOOST_TEST_MODULE access_matrix
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <cstdlib>
#include <map>
#include <vector>

#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::Stack;
using fwhub::testing::str;

namespace {

enum Who { kAnonymous, kOperator, kAdmin, kOtherAdmin, kSuperuser };
const std::vector<std::string> kWhoNames = {"anonymous", "operator", "admin", "other admin", "superuser"};

// Tokens of the five roles ("" for anonymous) over two fresh organizations A and B.
struct People {
  std::string slug_a = "ma" + fwhub::random_hex(4);
  std::string slug_b = "mb" + fwhub::random_hex(4);
  std::map<Who, std::string> tokens;

  People() {
    admin_line("create-organization " + slug_a + " " + slug_a);
    admin_line("create-organization " + slug_b + " " + slug_b);
    const auto user = [](const std::string& name, const std::string& flags) {
      admin_line("create-user " + name + " " + flags, "matrixpassword");
      return admin_line("create-token " + name + " matrix");
    };
    tokens[kAnonymous] = "";
    tokens[kOperator] = user(slug_a + "-op", "--organization " + slug_a + " --role operator");
    tokens[kAdmin] = user(slug_a + "-admin", "--organization " + slug_a + " --role admin");
    tokens[kOtherAdmin] = user(slug_b + "-admin", "--organization " + slug_b + " --role admin");
    tokens[kSuperuser] = user(slug_a + "-root", "--superuser");
  }

  httplib::Result call(Who who, const std::string& method, const std::string& path, const std::string& body = "") {
    auto client = Stack().client();
    httplib::Headers headers;
    if (!tokens[who].empty()) {
      headers.emplace("Authorization", "Bearer " + tokens[who]);
    }
    if (method == "GET") {
      return client.Get(path, headers);
    }
    if (method == "POST") {
      return client.Post(path, headers, body, "application/json");
    }
    if (method == "PATCH") {
      return client.Patch(path, headers, body, "application/json");
    }
    return client.Delete(path, headers);
  }

  std::string create(Who who, const std::string& path, const std::string& body) {
    const auto result = call(who, "POST", path, body);
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 201, path << " " << body << " -> " << result->body);
    rapidjson::Document document;
    document.Parse(result->body.c_str());
    return str(document["id"]);
  }
};

// One row of the matrix: the statuses of the five roles, in Who order.
void row(People& people, const std::string& method, const std::string& path, const std::string& body,
         const std::vector<int>& expected) {
  for (int who = kAnonymous; who <= kSuperuser; ++who) {
    if (expected[static_cast<std::size_t>(who)] == 0) {
      continue;  // not asserted here (a cell whose object another cell deletes)
    }
    const auto result = people.call(static_cast<Who>(who), method, path, body);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == expected[static_cast<std::size_t>(who)],
               method << " " << path << " as " << kWhoNames[static_cast<std::size_t>(who)] << ": " << result->status
                      << " " << result->body);
  }
}

const std::string kUpgrader = "/api/v1/firmware-upgrader/";

}  // namespace

BOOST_AUTO_TEST_CASE(organization_objects) {
  People p;
  const std::string category = p.create(kAdmin, kUpgrader + "category/", R"({"name":"M"})");
  const std::string build =
      p.create(kAdmin, kUpgrader + "build/", R"({"category":")" + category + R"(","version":"1"})");
  const std::string device = p.create(kAdmin, "/api/v1/devices/", R"({"name":"m1"})");
  const std::string credentials =
      p.create(kAdmin, "/api/v1/credentials/", R"({"name":"m","username":"root","password":"matrix-secret-1"})");
  struct Resource {
    std::string collection;
    std::string id;
    std::string create_body;  // for the operator's attempt (organization named explicitly)
    std::string patch_body;
    std::vector<int> create;  // operator: not an administrator; other admin: cannot see A
  };
  const std::vector<Resource> resources = {
      {kUpgrader + "category/",
       category,
       R"({"name":"x","organization":")" + p.slug_a + "\"}",
       R"({"name":"M2"})",
       {401, 403, 0, 400, 0}},
      {kUpgrader + "build/",
       build,
       R"({"category":")" + category + R"(","version":"9"})",
       R"({"changelog":"c"})",
       {401, 400, 0, 400, 0}},
      {"/api/v1/devices/",
       device,
       R"({"name":"x","organization":")" + p.slug_a + "\"}",
       R"({"location":"l"})",
       {401, 403, 0, 400, 0}},
      {"/api/v1/credentials/",
       credentials,
       R"({"name":"x","username":"u","password":"p","organization":")" + p.slug_a + "\"}",
       R"({"port":2222})",
       {401, 403, 0, 400, 0}},
  };
  for (const auto& r : resources) {
    const std::string object = r.collection + r.id + "/";
    //                                              anon operator admin other super
    row(p, "GET", r.collection, "", {401, 200, 200, 200, 200});
    row(p, "GET", object, "", {401, 200, 200, 404, 200});
    row(p, "PATCH", object, r.patch_body, {401, 403, 200, 404, 200});
    row(p, "POST", r.collection, r.create_body, r.create);
  }
  // Lists show an organization's object to its members and superusers only.
  for (const auto& r : resources) {
    BOOST_TEST(p.call(kOtherAdmin, "GET", r.collection)->body.find(r.id) == std::string::npos, r.collection);
    BOOST_TEST(p.call(kOperator, "GET", r.collection)->body.find(r.id) != std::string::npos, r.collection);
  }
  // Organizations: members see theirs; only superusers create or delete.
  const auto organizations = p.call(kSuperuser, "GET", "/api/v1/organizations/?slug=" + p.slug_a);
  rapidjson::Document listed;
  listed.Parse(organizations->body.c_str());
  const std::string organization = str(listed["results"][0]["id"]);
  row(p, "GET", "/api/v1/organizations/" + organization + "/", "", {401, 200, 200, 404, 200});
  row(p, "PATCH", "/api/v1/organizations/" + organization + "/", R"({"name":")" + p.slug_a + R"(x"})",
      {401, 403, 200, 404, 200});
  row(p, "POST", "/api/v1/organizations/", R"({"name":"n)" + p.slug_a + R"(","slug":"n)" + p.slug_a + "\"}",
      {401, 403, 403, 403, 201});
  // Deletion last: each role in turn, the owner's administrator and the superuser succeed once.
  for (const auto& r : resources) {
    const std::string object = r.collection + r.id + "/";
    row(p, "DELETE", object, "", {401, 403, 0, 404, 0});
  }
  row(p, "DELETE", kUpgrader + "category/" + category + "/", "", {0, 0, 204, 0, 0});
  row(p, "DELETE", "/api/v1/devices/" + device + "/", "", {0, 0, 0, 0, 204});
  row(p, "DELETE", "/api/v1/credentials/" + credentials + "/", "", {0, 0, 204, 0, 0});
  row(p, "DELETE", "/api/v1/organizations/" + organization + "/", "", {401, 403, 403, 404, 204});
}

BOOST_AUTO_TEST_CASE(shared_objects) {
  People p;
  const std::string name = "shared-" + fwhub::random_hex(4);
  const std::string category =
      p.create(kSuperuser, kUpgrader + "category/", R"({"name":")" + name + R"(","organization":null})");
  const std::string build =
      p.create(kSuperuser, kUpgrader + "build/", R"({"category":")" + category + R"(","version":"1"})");
  const std::string credentials =
      p.create(kSuperuser, "/api/v1/credentials/",
               R"({"name":")" + name + R"(","username":"r","password":"matrix-secret-2","organization":null})");
  for (const auto& object : {kUpgrader + "category/" + category + "/", kUpgrader + "build/" + build + "/",
                             "/api/v1/credentials/" + credentials + "/"}) {
    //                                         anon operator admin other super
    row(p, "GET", object, "", {401, 200, 200, 200, 200});
    row(p, "PATCH", object, R"({"name":"z"})", {401, 403, 403, 403, 0});
    row(p, "DELETE", object, "", {401, 403, 403, 403, 0});
  }
  // Adding a build to a shared category is a superuser's change too.
  row(p, "POST", kUpgrader + "build/", R"({"category":")" + category + R"(","version":"2"})",
      {401, 400, 400, 400, 201});
  row(p, "DELETE", kUpgrader + "category/" + category + "/", "", {0, 0, 0, 0, 204});
  row(p, "DELETE", "/api/v1/credentials/" + credentials + "/", "", {0, 0, 0, 0, 204});
}
