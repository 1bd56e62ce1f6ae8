// Authentication beyond fleet_test: the stored password hashes carry the documented Argon2id
// parameters, a blocked sign-in is allowed again once the block ends, a session cookie chosen
// before sign-in is never adopted, CSRF tokens are checked per session (bearer needs none), and
// a revoked token fails on the very next request of any kind.
#define BOOST_TEST_MODULE auth_security
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

const std::string kPassword = "auth-sec-password";
const std::string kCategories = "/api/v1/firmware-upgrader/category/";

struct Member {
  std::string slug = "as" + fwhub::random_hex(4);
  std::string username = slug + "-admin";

  Member() {
    admin_line("create-organization " + slug + " " + slug);
    admin_line("create-user " + username + " --organization " + slug + " --role admin", kPassword);
  }
};

std::string sql(const std::string& query) {
  const auto [status, output] = Stack().sql(query);
  BOOST_REQUIRE_MESSAGE(status == 0, query << ": " << output);
  return output;
}

httplib::Result login(const std::string& username, const std::string& password, const httplib::Headers& headers = {}) {
  return Stack().client().Post("/api/v1/auth/login", headers,
                               R"({"username":")" + username + R"(","password":")" + password + R"("})",
                               "application/json");
}

// The session cookie ("fwhub_session=...") a sign-in set, and its CSRF token.
struct Session {
  std::string cookie;
  std::string csrf;
};

Session signed_in(const std::string& username) {
  const auto result = login(username, kPassword);
  BOOST_REQUIRE(result);
  BOOST_REQUIRE_MESSAGE(result->status == 200, result->body);
  const std::string set_cookie = result->get_header_value("Set-Cookie");
  Session session{set_cookie.substr(0, set_cookie.find(';')), str(json(result->body)["csrf_token"])};
  Stack().remember_secret(session.cookie.substr(session.cookie.find('=') + 1));
  Stack().remember_secret(session.csrf);
  return session;
}

int post_with(const httplib::Headers& headers, const std::string& path, const std::string& body) {
  const auto result = Stack().client().Post(path, headers, body, "application/json");
  BOOST_REQUIRE(result);
  return result->status;
}

}  // namespace

BOOST_AUTO_TEST_CASE(password_hashes_are_argon2id_with_the_documented_parameters) {
  const Member member;
  const std::string prefix = "$argon2id$v=19$m=65536,t=2,p=1$";
  BOOST_TEST(sql("SELECT password_hash FROM users WHERE username='" + member.username + "'").starts_with(prefix));
  // Users made through the API are hashed alike.
  const Session admin = signed_in(member.username);
  const std::string name = member.slug + "-op";
  Stack().remember_secret("api-made-password");
  BOOST_TEST(post_with({{"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}}, "/api/v1/users/",
                       R"({"username":")" + name + R"(","password":"api-made-password","organization":")" +
                           member.slug + "\"}") == 201);
  const std::string stored = sql("SELECT password_hash FROM users WHERE username='" + name + "'");
  BOOST_TEST(stored.starts_with(prefix), stored);
  BOOST_TEST(stored.find("api-made-password") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_blocked_sign_in_is_allowed_again_when_the_block_ends) {
  const Member member;
  int failures = 0;
  while (failures < 50) {
    const auto result = login(member.username, "wrong-password");
    BOOST_REQUIRE(result);
    if (result->status == 429) {
      break;
    }
    BOOST_TEST(result->status == 401);
    ++failures;
  }
  BOOST_TEST(failures == 5);  // fleet.login_max_failures, the stack's default
  BOOST_TEST(login(member.username, kPassword)->status == 429);
  // The block and the window end (moved into the past rather than waited for: 900 s each).
  sql("UPDATE login_failures SET blocked_until = NOW(3) - INTERVAL 1 SECOND, "
      "window_start = NOW(3) - INTERVAL 1 HOUR WHERE subject = 'user:" +
      member.username + "'");
  BOOST_TEST(login(member.username, kPassword)->status == 200);
  // A success forgets the failures: one more mistake is a 401, not a block.
  BOOST_TEST(login(member.username, "wrong-password")->status == 401);
  BOOST_TEST(login(member.username, kPassword)->status == 200);
}

BOOST_AUTO_TEST_CASE(a_session_cookie_set_before_sign_in_is_not_adopted) {
  const Member member;
  const std::string planted = std::string(64, 'a');
  const auto result = login(member.username, kPassword, {{"Cookie", "fwhub_session=" + planted}});
  BOOST_REQUIRE(result);
  BOOST_REQUIRE(result->status == 200);
  const std::string set_cookie = result->get_header_value("Set-Cookie");
  BOOST_TEST(set_cookie.find(planted) == std::string::npos, set_cookie);
  BOOST_TEST(Stack().client().Get("/api/v1/auth/me", {{"Cookie", "fwhub_session=" + planted}})->status == 401);
  // Every sign-in issues a new token.
  const Session first = signed_in(member.username);
  const Session second = signed_in(member.username);
  BOOST_TEST(first.cookie != second.cookie);
  BOOST_TEST(first.csrf != second.csrf);
}

BOOST_AUTO_TEST_CASE(csrf_tokens_are_checked_per_session_and_bearer_needs_none) {
  const Member member;
  const Session mine = signed_in(member.username);
  const Session other = signed_in(member.username);
  const std::string body = R"({"name":"csrf )" + fwhub::random_hex(3) + "\"}";
  BOOST_TEST(post_with({{"Cookie", mine.cookie}}, kCategories, body) == 403);
  BOOST_TEST(post_with({{"Cookie", mine.cookie}, {"X-CSRF-Token", ""}}, kCategories, body) == 403);
  BOOST_TEST(post_with({{"Cookie", mine.cookie}, {"X-CSRF-Token", std::string(64, '0')}}, kCategories, body) == 403);
  BOOST_TEST(post_with({{"Cookie", mine.cookie}, {"X-CSRF-Token", other.csrf}}, kCategories, body) == 403);
  BOOST_TEST(post_with({{"Cookie", mine.cookie}, {"X-CSRF-Token", mine.csrf + "0"}}, kCategories, body) == 403);
  // Signing out with a session needs the token too.
  BOOST_TEST(post_with({{"Cookie", mine.cookie}}, "/api/v1/auth/logout", "{}") == 403);
  BOOST_TEST(Stack().client().Get("/api/v1/auth/me", {{"Cookie", mine.cookie}})->status == 200);
  BOOST_TEST(post_with({{"Cookie", mine.cookie}, {"X-CSRF-Token", mine.csrf}}, kCategories, body) == 201);
  // A bearer token is no ambient credential: no CSRF token needed.
  const std::string token = admin_line("create-token " + member.username + " csrf");
  BOOST_TEST(post_with({{"Authorization", "Bearer " + token}}, kCategories, R"({"name":"bearer"})") == 201);
}

BOOST_AUTO_TEST_CASE(a_revoked_token_fails_on_the_next_request_of_any_kind) {
  const Member member;
  const std::string token = admin_line("create-token " + member.username + " revoke");
  const httplib::Headers bearer{{"Authorization", "Bearer " + token}};
  auto client = Stack().client();
  const auto listed = client.Get("/api/v1/auth/tokens/", bearer);
  BOOST_REQUIRE(listed && listed->status == 200);
  const std::string id = str(json(listed->body)["results"][0]["id"]);
  BOOST_TEST(client.Delete("/api/v1/auth/tokens/" + id + "/", bearer)->status == 204);
  BOOST_TEST(client.Get("/api/v1/auth/me", bearer)->status == 401);
  BOOST_TEST(client.Get(kCategories, bearer)->status == 401);
  BOOST_TEST(post_with(bearer, kCategories, R"({"name":"after revoke"})") == 401);
  BOOST_TEST(client.Delete("/api/v1/auth/tokens/" + id + "/", bearer)->status == 401);
}
