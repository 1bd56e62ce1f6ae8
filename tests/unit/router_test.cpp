// Router: static and parameterised paths, decoding, 404 and 405 with the allowed methods.
#define BOOST_TEST_MODULE router
#include <boost/test/unit_test.hpp>

#include "fwhub/api/router.hpp"

using fwhub::Code;
using fwhub::Error;
using fwhub::api::Context;
using fwhub::api::Request;
using fwhub::api::Response;
using fwhub::api::Router;

namespace {

fwhub::api::Handler named(const std::string& name) {
  return [name](const Request&, Context&) {
    Response response;
    response.body = name;
    return response;
  };
}

Router sample() {
  Router router;
  router.add("GET", "/api/v1/health", named("health"))
      .add("POST", "/api/v1/build", named("submit"))
      .add("GET", "/api/v1/build/{hash}", named("poll"))
      .add("DELETE", "/api/v1/build/{hash}", named("delete"))
      .add("GET", "/api/v1/revision/{version}/{target}/{subtarget}", named("revision"));
  return router;
}

Code thrown_code(const Router& router, const std::string& method, const std::string& path) {
  try {
    (void)router.match(method, path);
  } catch (const Error& error) {
    return error.code();
  }
  return Code::kOk;
}

}  // namespace

BOOST_AUTO_TEST_CASE(static_path_matches_its_method) {
  const Router router = sample();
  const auto match = router.match("GET", "/api/v1/health");
  BOOST_REQUIRE(match.handler != nullptr);
  BOOST_TEST(match.params.empty());
}

BOOST_AUTO_TEST_CASE(parameters_are_captured_and_decoded) {
  const Router router = sample();
  const auto match = router.match("GET", "/api/v1/revision/23.05.4/ath79/gen%65ric");
  BOOST_REQUIRE(match.handler != nullptr);
  BOOST_TEST(match.params.at("version") == "23.05.4");
  BOOST_TEST(match.params.at("target") == "ath79");
  BOOST_TEST(match.params.at("subtarget") == "generic");
}

BOOST_AUTO_TEST_CASE(encoded_slash_stays_inside_one_parameter) {
  const Router router = sample();
  const auto match = router.match("GET", "/api/v1/build/a%2Fb");
  BOOST_REQUIRE(match.handler != nullptr);
  BOOST_TEST(match.params.at("hash") == "a/b");
}

BOOST_AUTO_TEST_CASE(unknown_paths_are_not_found) {
  const Router router = sample();
  BOOST_TEST(static_cast<int>(thrown_code(router, "GET", "/api/v1/nothing")) == static_cast<int>(Code::kNotFound));
  BOOST_TEST(static_cast<int>(thrown_code(router, "GET", "/api/v1/build/")) == static_cast<int>(Code::kNotFound));
  BOOST_TEST(static_cast<int>(thrown_code(router, "GET", "/api/v1/health/x")) == static_cast<int>(Code::kNotFound));
}

BOOST_AUTO_TEST_CASE(malformed_escape_is_a_bad_request) {
  const Router router = sample();
  BOOST_TEST(static_cast<int>(thrown_code(router, "GET", "/api/v1/build/%zz")) ==
             static_cast<int>(Code::kInvalidArgument));
}

BOOST_AUTO_TEST_CASE(wrong_method_lists_the_allowed_ones) {
  const Router router = sample();
  const auto match = router.match("PUT", "/api/v1/build/abc");
  BOOST_TEST(match.handler == nullptr);
  const std::vector<std::string> expected = {"DELETE", "GET", "HEAD"};
  BOOST_TEST(match.allowed == expected, boost::test_tools::per_element());
  const auto post_only = router.match("GET", "/api/v1/build");
  BOOST_TEST(post_only.handler == nullptr);
  BOOST_TEST(post_only.allowed == std::vector<std::string>{"POST"}, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(head_is_served_by_the_get_route) {
  const Router router = sample();
  BOOST_TEST(router.match("HEAD", "/api/v1/build/abc").handler != nullptr);
  BOOST_TEST(router.match("HEAD", "/api/v1/build").handler == nullptr);
}
