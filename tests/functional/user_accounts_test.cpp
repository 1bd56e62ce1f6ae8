// User accounts through the whole stack, after the outside attack of issue 16: who may change whom
// (openwisp's rule), password changes that ask for the current password and end every other
// session and token, reversible deactivation, and what a list of users tells about other
// organizations.
#define BOOST_TEST_MODULE user_accounts
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <string>

#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::json;
using fwhub::testing::Stack;
using fwhub::testing::str;

namespace {

const std::string kPassword = "user-accounts-password";
const std::string kNewPassword = "a-brand-new-password";

httplib::Result call(const std::string& token, const std::string& method, const std::string& path,
                     const std::string& body = "", const httplib::Headers& extra = {}) {
  auto client = Stack().client();
  httplib::Headers headers = extra;
  if (!token.empty()) {
    headers.emplace("Authorization", "Bearer " + token);
  }
  if (method == "GET") {
    return client.Get(path, headers);
  }
  if (method == "POST") {
    return client.Post(path, headers, body, "application/json");
  }
  return client.Patch(path, headers, body, "application/json");
}

// Organizations A and B, A's administrator (signed in by token) and B's.
struct Tenants {
  std::string a = "ua" + fwhub::random_hex(4);
  std::string b = "ub" + fwhub::random_hex(4);
  std::string admin_a = a + "-admin";
  std::string admin_b = b + "-admin";
  std::string token_a;
  std::string token_b;
  std::string root_token;

  Tenants() {
    admin_line("create-organization " + a + " " + a);
    admin_line("create-organization " + b + " " + b);
    admin_line("create-user " + admin_a + " --organization " + a + " --role admin", kPassword);
    admin_line("create-user " + admin_b + " --organization " + b + " --role admin", kPassword);
    admin_line("create-user " + a + "-root --superuser", kPassword);
    token_a = admin_line("create-token " + admin_a + " t");
    token_b = admin_line("create-token " + admin_b + " t");
    root_token = admin_line("create-token " + a + "-root t");
  }

  // A new user of A with `role`, returned by id (created through the API by A's administrator).
  std::string user_of_a(const std::string& name, const std::string& role = "operator") {
    const auto result =
        call(token_a, "POST", "/api/v1/users/",
             R"({"username":")" + name + R"(","password":")" + kPassword + R"(","role":")" + role + R"("})");
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 201, result->body);
    Stack().remember_secret(kPassword);
    return str(json(result->body)["id"]);
  }

  // Adds an existing user to organization `slug` (a superuser's change).
  void add_to(const std::string& user_id, const std::string& slug, const std::string& role) {
    const auto result = call(root_token, "PATCH", "/api/v1/users/" + user_id + "/",
                             R"({"organization":")" + slug + R"(","role":")" + role + R"("})");
    BOOST_REQUIRE(result);
    BOOST_REQUIRE_MESSAGE(result->status == 200, result->body);
  }
};

std::string user_id(const std::string& username) {
  const auto [status, output] = Stack().sql("SELECT id FROM users WHERE username = '" + username + "'");
  BOOST_REQUIRE_MESSAGE(status == 0 && !output.empty(), username << ": " << output);
  return output;
}

int login_status(const std::string& username, const std::string& password) {
  const auto result = Stack().client().Post("/api/v1/auth/login",
                                            R"({"username":")" + username + R"(","password":")" + password + R"("})",
                                            "application/json");
  BOOST_REQUIRE(result);
  return result->status;
}

// A signed-in session of `username`: the cookie and its CSRF token.
httplib::Headers session_of(const std::string& username) {
  const auto result = Stack().client().Post("/api/v1/auth/login",
                                            R"({"username":")" + username + R"(","password":")" + kPassword + R"("})",
                                            "application/json");
  BOOST_REQUIRE(result);
  BOOST_REQUIRE_MESSAGE(result->status == 200, result->body);
  const std::string set_cookie = result->get_header_value("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = str(json(result->body)["csrf_token"]);
  Stack().remember_secret(cookie.substr(cookie.find('=') + 1));
  Stack().remember_secret(csrf);
  return {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
}

int me_status(const std::string& token, const httplib::Headers& session = {}) {
  const auto result = call(token, "GET", "/api/v1/auth/me", "", session);
  BOOST_REQUIRE(result);
  return result->status;
}

std::string password_change(const std::string& current) {
  Stack().remember_secret(kNewPassword);
  return R"({"password":")" + kNewPassword + R"(","current_password":")" + current + R"("})";
}

}  // namespace

// Regression (critical): A's administrator set the password of a superuser who was a member of A,
// and of B's administrator who was a member of A too, then signed in as them with full rights.
BOOST_AUTO_TEST_CASE(an_admin_cannot_take_over_superusers_or_other_organizations_admins) {
  Tenants t;
  const std::string root = t.a + "-root2";
  admin_line("create-user " + root + " --superuser --organization " + t.a + " --role operator", kPassword);
  const std::string root_id = user_id(root);
  const std::string admin_b_id = user_id(t.admin_b);
  t.add_to(admin_b_id, t.a, "operator");
  for (const auto& id : {root_id, admin_b_id}) {
    auto result = call(t.token_a, "PATCH", "/api/v1/users/" + id + "/", password_change(kPassword));
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == 403, result->body);
    result = call(t.token_a, "PATCH", "/api/v1/users/" + id + "/", R"({"is_active":false})");
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == 403, result->body);
    BOOST_TEST(json(result->body).HasMember("detail"));
  }
  BOOST_TEST(login_status(root, kNewPassword) == 401);
  BOOST_TEST(login_status(t.admin_b, kNewPassword) == 401);
  BOOST_TEST(login_status(root, kPassword) == 200);
  BOOST_TEST(login_status(t.admin_b, kPassword) == 200);
  // A user of A only is A's administrator's to change; once also in B, no longer.
  const std::string plain = t.user_of_a(t.a + "-plain");
  auto result = call(t.token_a, "PATCH", "/api/v1/users/" + plain + "/", R"({"email":"p@example.org"})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200, result->body);
  t.add_to(plain, t.b, "operator");
  result = call(t.token_a, "PATCH", "/api/v1/users/" + plain + "/", R"({"email":"q@example.org"})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 403, result->body);
  // Users sharing no organization stay hidden: 404, as an unknown id.
  const Tenants others;
  result = call(others.token_a, "PATCH", "/api/v1/users/" + plain + "/", R"({"email":"x@example.org"})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 404, result->body);
}

// Regression: a password changed without the current password, and every other session and
// token of the user stayed valid.
BOOST_AUTO_TEST_CASE(a_password_change_asks_for_the_current_password_and_ends_other_sessions) {
  Tenants t;
  const std::string name = t.a + "-changer";
  const std::string id = t.user_of_a(name);
  const std::string token = admin_line("create-token " + name + " old");
  const auto old_session = session_of(name);
  const auto this_session = session_of(name);
  BOOST_TEST(me_status(token) == 200);
  BOOST_TEST(me_status("", old_session) == 200);

  const std::string path = "/api/v1/users/" + id + "/";
  auto result = call("", "PATCH", path, R"({"password":")" + kNewPassword + R"("})", this_session);
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 400, result->body);
  BOOST_TEST(json(result->body)["errors"].HasMember("current_password"));
  result = call("", "PATCH", path, password_change("not-the-password"), this_session);
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 400, result->body);
  BOOST_TEST(json(result->body)["errors"].HasMember("current_password"));
  BOOST_TEST(me_status(token) == 200);  // refused changes revoke nothing

  result = call("", "PATCH", path, password_change(kPassword), this_session);
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200, result->body);
  BOOST_TEST(me_status("", this_session) == 200);  // the session that made the change stays
  BOOST_TEST(me_status("", old_session) == 401);
  BOOST_TEST(me_status(token) == 401);
  BOOST_TEST(login_status(name, kNewPassword) == 200);

  // An administrator's reset needs the administrator's own password, and ends all of the user's.
  const std::string token2 = admin_line("create-token " + name + " again");
  result = call(t.token_a, "PATCH", path, password_change("wrong-admin-password"));
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 400, result->body);
  result = call(t.token_a, "PATCH", path, password_change(kPassword));
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200, result->body);
  BOOST_TEST(me_status(token2) == 401);
  BOOST_TEST(me_status("", this_session) == 401);
  BOOST_TEST(me_status(t.token_a) == 200);
}

// Regression: a deactivated user could never be reactivated (PATCH answered 404 while GET showed
// the user).
BOOST_AUTO_TEST_CASE(deactivation_is_reversible_and_ends_sessions_and_tokens) {
  Tenants t;
  const std::string name = t.a + "-sleeper";
  const std::string id = t.user_of_a(name);
  const std::string token = admin_line("create-token " + name + " t");
  const std::string path = "/api/v1/users/" + id + "/";
  auto result = call(t.token_a, "PATCH", path, R"({"is_active":false})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200, result->body);
  BOOST_TEST(me_status(token) == 401);
  BOOST_TEST(login_status(name, kPassword) == 401);
  result = call(t.token_a, "GET", path);
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200);
  BOOST_TEST(json(result->body)["is_active"].IsFalse());

  result = call(t.token_a, "PATCH", path, R"({"is_active":true})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200, result->body);
  BOOST_TEST(login_status(name, kPassword) == 200);
  BOOST_TEST(me_status(token) == 401);  // tokens revoked by the deactivation stay revoked
}

// Regression: users listed by A's administrator showed their memberships of other organizations,
// and ?organization=<B> counted B's members among them.
BOOST_AUTO_TEST_CASE(user_lists_show_nothing_of_other_organizations) {
  Tenants t;
  const std::string shared = t.user_of_a(t.a + "-shared");
  t.add_to(shared, t.b, "admin");
  const std::string b_id = Stack().sql("SELECT id FROM organizations WHERE slug = '" + t.b + "'").second;
  auto result = call(t.token_a, "GET", "/api/v1/users/" + shared + "/");
  BOOST_REQUIRE(result);
  BOOST_REQUIRE(result->status == 200);
  BOOST_TEST(result->body.find(b_id) == std::string::npos, result->body);
  const auto one = json(result->body);
  BOOST_TEST(one["organizations"].Size() == 1U);

  result = call(t.token_a, "GET", "/api/v1/users/?page_size=100");
  BOOST_REQUIRE(result);
  BOOST_REQUIRE(result->status == 200);
  BOOST_TEST(result->body.find(b_id) == std::string::npos, result->body);

  result = call(t.token_a, "GET", "/api/v1/users/?organization=" + t.b);
  BOOST_REQUIRE(result);
  BOOST_REQUIRE(result->status == 200);
  BOOST_TEST(json(result->body)["count"].GetInt() == 0, result->body);
  // A superuser still sees every membership.
  result = call(t.root_token, "GET", "/api/v1/users/" + shared + "/");
  BOOST_REQUIRE(result);
  BOOST_TEST(json(result->body)["organizations"].Size() == 2U);
  result = call(t.root_token, "GET", "/api/v1/users/?organization=" + t.b);
  BOOST_REQUIRE(result);
  BOOST_TEST(json(result->body)["count"].GetInt() >= 2, result->body);
}

// Regression: "already exists" listed other organizations' usernames for free. It is still the
// answer (usernames are global), but an administrator gets a handful per quarter hour.
BOOST_AUTO_TEST_CASE(probing_for_taken_usernames_is_throttled) {
  Tenants t;
  int last = 0;
  for (int i = 0; i < 12; ++i) {
    const auto result = call(t.token_a, "POST", "/api/v1/users/",
                             R"({"username":")" + t.admin_b + R"(","password":")" + kPassword + R"("})");
    BOOST_REQUIRE(result);
    last = result->status;
    if (i < 10) {
      BOOST_TEST(last == 400, i << ": " << result->body);
    }
  }
  BOOST_TEST(last == 429);
  // A superuser is not throttled.
  const auto result = call(t.root_token, "POST", "/api/v1/users/",
                           R"({"username":")" + t.admin_b + R"(","password":")" + kPassword + R"("})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 400);
}

// Regression: a user of no organization got 404 for its own account, also after a PATCH of its own
// email had been stored; an operator was refused with another role's words.
BOOST_AUTO_TEST_CASE(every_user_sees_and_changes_its_own_account) {
  Tenants t;
  const std::string name = t.a + "-alone";
  admin_line("create-user " + name, kPassword);
  const std::string token = admin_line("create-token " + name + " t");
  const std::string path = "/api/v1/users/" + user_id(name) + "/";
  auto result = call(token, "GET", path);
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200, result->body);
  result = call(token, "PATCH", path, R"({"email":"alone@example.org"})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 200, result->body);
  BOOST_TEST(str(json(result->body)["email"]) == "alone@example.org");
  result = call(token, "GET", "/api/v1/users/");
  BOOST_REQUIRE(result);
  BOOST_TEST(json(result->body)["count"].GetInt() == 1, result->body);
  // Its own account is not a member of A: ?organization=A does not find it.
  result = call(token, "GET", "/api/v1/users/?organization=" + t.a);
  BOOST_REQUIRE(result);
  BOOST_TEST(json(result->body)["count"].GetInt() == 0, result->body);

  const std::string op = t.a + "-op";
  const std::string op_id = t.user_of_a(op);
  const std::string op_token = admin_line("create-token " + op + " t");
  const std::string peer = t.user_of_a(t.a + "-peer");
  result = call(op_token, "PATCH", "/api/v1/users/" + peer + "/", R"({"email":"peer@example.org"})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 403);
  BOOST_TEST(str(json(result->body)["detail"]) == "your role does not allow changing users");
  result =
      call(op_token, "PATCH", "/api/v1/users/" + op_id + "/", R"({"organization":")" + t.a + R"(","role":"admin"})");
  BOOST_REQUIRE(result);
  BOOST_TEST(result->status == 400, result->body);
  BOOST_TEST(json(result->body)["errors"].HasMember("role"));
}
