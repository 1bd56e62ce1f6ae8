// Request bodies of the fleet API: bytes that are not UTF-8 are a 400 before any reaches MariaDB
// (regression: a device name with an overlong "/" or a 0xff byte was a 500 "Incorrect string
// value" from the database; found by functional_bad_input).
#define BOOST_TEST_MODULE fleet_input
#include <boost/test/unit_test.hpp>

#include "fwhub/api/fleet_request.hpp"
#include "fwhub/common/status.hpp"

using fwhub::api::Request;

namespace {

Request body(const std::string& text) {
  Request request;
  request.method = "POST";
  request.body = text;
  return request;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bodies_that_are_not_utf8_are_invalid_arguments) {
  for (const std::string& text : {std::string("{\"name\":\"\xc0\xaf\"}"), std::string("{\"name\":\"\xff\"}"),
                                  std::string("{\"name\":\"\xed\xa0\x80\"}")}) {
    BOOST_CHECK_EXCEPTION(fwhub::api::read_input(body(text), false), fwhub::Error,
                          [](const fwhub::Error& error) { return error.code() == fwhub::Code::kInvalidArgument; });
    BOOST_TEST(fwhub::api::raw_member(body(text), "name").empty());
  }
}

BOOST_AUTO_TEST_CASE(utf8_beyond_ascii_is_read) {
  const auto input = fwhub::api::read_input(body("{\"name\":\"r\xc3\xa9seau \xf0\x9f\x98\x80\"}"), false);
  BOOST_TEST(input.has("name"));
  BOOST_TEST(fwhub::api::raw_member(body("{\"name\":\"\xe2\x80\xae\"}"), "name") == "\"\xe2\x80\xae\"");
}
