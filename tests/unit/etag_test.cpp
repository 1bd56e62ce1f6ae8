// Conditional answers for polling: ETag from the body, 304 on a matching If-None-Match.
#define BOOST_TEST_MODULE etag
#include <boost/test/unit_test.hpp>

#include "fwhub/api/etag.hpp"

using fwhub::api::conditional;
using fwhub::api::Request;
using fwhub::api::Response;

namespace {

Response ok(const std::string& body) {
  Response response;
  response.body = body;
  return response;
}

std::string header(const Response& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) {
      return value;
    }
  }
  return "";
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_matching_tag_answers_304_without_a_body) {
  Request request;
  const Response first = conditional(request, ok(R"({"status":"in-progress"})"));
  const std::string tag = header(first, "ETag");
  BOOST_TEST(first.status == 200);
  BOOST_TEST(tag.size() == 18U);  // "0123456789abcdef" with quotes
  request.headers["if-none-match"] = "\"other\", W/" + tag;
  const Response again = conditional(request, ok(R"({"status":"in-progress"})"));
  BOOST_TEST(again.status == 304);
  BOOST_TEST(again.body.empty());
  BOOST_TEST(header(again, "ETag") == tag);
}

BOOST_AUTO_TEST_CASE(a_changed_body_gets_a_new_tag_and_errors_get_none) {
  Request request;
  const std::string tag = header(conditional(request, ok("a")), "ETag");
  request.headers["if-none-match"] = tag;
  const Response changed = conditional(request, ok("b"));
  BOOST_TEST(changed.status == 200);
  BOOST_TEST(header(changed, "ETag") != tag);
  Response missing = ok("{}");
  missing.status = 404;
  BOOST_TEST(header(conditional(request, missing), "ETag").empty());
}
