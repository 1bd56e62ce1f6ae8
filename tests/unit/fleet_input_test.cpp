// Request bodies of the fleet API: bytes that are not UTF-8 are a 400 before any reaches MariaDB
// (regression: a device name with an overlong "/" or a 0xff byte was a 500 "Incorrect string
// value" from the database; found by functional_bad_input), and nesting is bounded.
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

bool invalid_argument(const fwhub::Error& error) {
  return error.code() == fwhub::Code::kInvalidArgument;
}

}  // namespace

BOOST_AUTO_TEST_CASE(bodies_that_are_not_utf8_are_invalid_arguments) {
  for (const std::string& text : {std::string("{\"name\":\"\xc0\xaf\"}"), std::string("{\"name\":\"\xff\"}"),
                                  std::string("{\"name\":\"\xed\xa0\x80\"}")}) {
    BOOST_CHECK_EXCEPTION(fwhub::api::read_input(body(text), false), fwhub::Error, invalid_argument);
    BOOST_CHECK_EXCEPTION(fwhub::api::raw_member(body(text), "name"), fwhub::Error, invalid_argument);
  }
}

// Regression (issue 16): a signed-in user with no organization killed an API worker with
// {"upgrade_options": <100,000 nested arrays>}. RapidJSON parsed it iteratively, but writing the
// member out again (raw_member) recursed once per level and overflowed the stack (SIGSEGV).
BOOST_AUTO_TEST_CASE(bodies_nested_too_deep_are_invalid_arguments_not_crashes) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto too_deep = [](const fwhub::Error& error) {
    return error.code() == fwhub::Code::kInvalidArgument &&
           std::string(error.what()).find("nested more than 64 levels deep") != std::string::npos;
  };
  for (const std::string& text : {"{\"upgrade_options\":" + deep + "}", deep, "{\"a\":{\"b\":" + deep + "}}"}) {
    BOOST_CHECK_EXCEPTION(fwhub::api::raw_member(body(text), "upgrade_options"), fwhub::Error, too_deep);
    BOOST_CHECK_EXCEPTION(fwhub::api::read_input(body(text), true), fwhub::Error, too_deep);
  }
  // 63 levels inside the body's object are 64 in all: the limit itself is read.
  const std::string at_limit = "{\"upgrade_options\":" + std::string(63, '[') + std::string(63, ']') + "}";
  BOOST_TEST(fwhub::api::raw_member(body(at_limit), "upgrade_options").size() == 126U);
  const std::string over = "{\"upgrade_options\":" + std::string(64, '[') + std::string(64, ']') + "}";
  BOOST_CHECK_EXCEPTION(fwhub::api::raw_member(body(over), "upgrade_options"), fwhub::Error, too_deep);
}

BOOST_AUTO_TEST_CASE(utf8_beyond_ascii_is_read) {
  const auto input = fwhub::api::read_input(body("{\"name\":\"r\xc3\xa9seau \xf0\x9f\x98\x80\"}"), false);
  BOOST_TEST(input.has("name"));
  BOOST_TEST(fwhub::api::raw_member(body("{\"name\":\"\xe2\x80\xae\"}"), "name") == "\"\xe2\x80\xae\"");
}
