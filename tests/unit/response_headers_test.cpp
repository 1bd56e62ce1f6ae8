// Response headers built from names clients chose: no line breaks, and download names quoted
// (regression: an image named `a"b.bin` gave `filename="a"b.bin"`).
#define BOOST_TEST_MODULE response_headers
#include <boost/test/unit_test.hpp>

#include "fwhub/api/response.hpp"

using fwhub::api::attachment_disposition;
using fwhub::api::Response;

BOOST_AUTO_TEST_CASE(line_breaks_never_reach_the_header_block) {
  Response response;
  response.header("Location", "/a\r\nSet-Cookie: x=1\n");
  BOOST_TEST(response.headers.back().second == "/a  Set-Cookie: x=1 ");
  BOOST_TEST(response.serialize(false).find("\r\nSet-Cookie") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(plain_names_stay_as_they_are) {
  BOOST_TEST(attachment_disposition("openwrt-23.05.4-sysupgrade.bin") ==
             "attachment; filename=\"openwrt-23.05.4-sysupgrade.bin\"; "
             "filename*=UTF-8''openwrt-23.05.4-sysupgrade.bin");
}

BOOST_AUTO_TEST_CASE(quotes_and_backslashes_are_escaped) {
  BOOST_TEST(
      attachment_disposition(R"(a"; filename*=UTF-8''evil.exe)") ==
      R"(attachment; filename="a\"; filename*=UTF-8''evil.exe"; filename*=UTF-8''a%22%3B%20filename%2A%3DUTF-8%27%27evil.exe)");
  BOOST_TEST(attachment_disposition(R"(a\b)") == R"(attachment; filename="a\\b"; filename*=UTF-8''a%5Cb)");
}

BOOST_AUTO_TEST_CASE(names_beyond_ascii_are_encoded) {
  BOOST_TEST(attachment_disposition("\xe2\x80\xae"
                                    "evil.bin") ==
             "attachment; filename=\"___evil.bin\"; filename*=UTF-8''%E2%80%AEevil.bin");
}
