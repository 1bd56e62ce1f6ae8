// Request parsing: CGI parameters, headers, query strings, escapes and body limits.
#define BOOST_TEST_MODULE request
#include <boost/test/unit_test.hpp>

#include "fwhub/api/request.hpp"
#include "fwhub/common/status.hpp"

using fwhub::Code;
using fwhub::Error;
using namespace fwhub::api;

namespace {

Code content_length_error(const std::string& value, std::int64_t max) {
  try {
    (void)checked_content_length({{"CONTENT_LENGTH", value}}, max);
  } catch (const Error& error) {
    return error.code();
  }
  return Code::kOk;
}

}  // namespace

BOOST_AUTO_TEST_CASE(cgi_parameters_become_a_request) {
  const CgiParams params = {{"REQUEST_METHOD", "POST"},
                            {"REQUEST_URI", "/api/v1/build?x=1"},
                            {"QUERY_STRING", "x=1&name=a%20b&flag&plus=c+d"},
                            {"CONTENT_TYPE", "application/json"},
                            {"CONTENT_LENGTH", "2"},
                            {"HTTP_USER_AGENT", "auc (0.3.2)"},
                            {"HTTP_X_FORWARDED_FOR", "10.0.0.1"},
                            {"REQUEST_ID", "abc123"},
                            {"REMOTE_ADDR", "127.0.0.1"}};
  const Request request = request_from_cgi(params, "{}");
  BOOST_TEST(request.method == "POST");
  BOOST_TEST(request.path == "/api/v1/build");
  BOOST_TEST(request.query_value("x").value() == "1");
  BOOST_TEST(request.query_value("name").value() == "a b");
  BOOST_TEST(request.query_value("flag").value() == "");
  BOOST_TEST(request.query_value("plus").value() == "c d");
  BOOST_TEST(!request.query_value("missing").has_value());
  BOOST_TEST(request.header("content-type").value() == "application/json");
  BOOST_TEST(request.header("user-agent").value() == "auc (0.3.2)");
  BOOST_TEST(request.header("x-forwarded-for").value() == "10.0.0.1");
  BOOST_TEST(request.request_id == "abc123");
  BOOST_TEST(request.remote_addr == "127.0.0.1");
  BOOST_TEST(request.body == "{}");
}

BOOST_AUTO_TEST_CASE(repeated_query_keys_are_all_kept) {
  const auto query = parse_query("a=1&a=2&&b=");
  BOOST_REQUIRE(query.has_value());
  BOOST_TEST(query->count("a") == 2U);
  BOOST_TEST(query->find("b")->second == "");
}

BOOST_AUTO_TEST_CASE(malformed_escapes_are_rejected) {
  BOOST_TEST(!percent_decode("%", false).has_value());
  BOOST_TEST(!percent_decode("%4", false).has_value());
  BOOST_TEST(!percent_decode("%g1", false).has_value());
  BOOST_TEST(percent_decode("%41%62", false).value() == "Ab");
  BOOST_TEST(percent_decode("a+b", false).value() == "a+b");
  BOOST_CHECK_THROW(request_from_cgi({{"REQUEST_METHOD", "GET"}, {"QUERY_STRING", "a=%zz"}}, ""), Error);
}

BOOST_AUTO_TEST_CASE(empty_uri_is_the_root) {
  BOOST_TEST(request_from_cgi({{"REQUEST_METHOD", "GET"}}, "").path == "/");
}

BOOST_AUTO_TEST_CASE(content_length_limits) {
  BOOST_TEST(checked_content_length({}, 10) == 0);
  BOOST_TEST(checked_content_length({{"CONTENT_LENGTH", ""}}, 10) == 0);
  BOOST_TEST(checked_content_length({{"CONTENT_LENGTH", "10"}}, 10) == 10);
  BOOST_TEST(static_cast<int>(content_length_error("11", 10)) == static_cast<int>(Code::kPayloadTooLarge));
  BOOST_TEST(static_cast<int>(content_length_error("-1", 10)) == static_cast<int>(Code::kInvalidArgument));
  BOOST_TEST(static_cast<int>(content_length_error("12abc", 10)) == static_cast<int>(Code::kInvalidArgument));
  BOOST_TEST(static_cast<int>(content_length_error("99999999999999999999999", 10)) ==
             static_cast<int>(Code::kInvalidArgument));
}
