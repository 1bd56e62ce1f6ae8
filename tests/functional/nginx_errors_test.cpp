// Every error nginx itself answers is JSON: raw requests that no client library would send (a bad
// request line, an unknown method, a 10 KB URI, HTTP/3.0, a bad Content-Length, a malformed chunk,
// headers over the buffers...) get a JSON problem with the status, a title and a detail, and the
// security headers.
#define BOOST_TEST_MODULE nginx_errors
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "support/fleet_calls.hpp"
#include "support/raw_connection.hpp"

using fwhub::testing::connect_to_stack;
using fwhub::testing::RawResponse;
using fwhub::testing::read_until_closed;
using fwhub::testing::send_all;

namespace {

struct Case {
  std::string what;
  std::string request;
  int status;
};

// The request on a new connection (from `source`), then everything until nginx closes it.
std::string exchange(const std::string& request, const std::string& source = "") {
  const int fd = connect_to_stack(source);
  BOOST_REQUIRE(send_all(fd, request));
  ::shutdown(fd, SHUT_WR);
  std::string answer = read_until_closed(fd);
  ::close(fd);
  return answer;
}

// The status line, headers and body of a whole answer.
RawResponse parse(const std::string& answer) {
  RawResponse response;
  const std::size_t end = answer.find("\r\n\r\n");
  if (end == std::string::npos) {
    return response;
  }
  response.head = answer.substr(0, end + 2);
  response.body = answer.substr(end + 4);
  if (response.head.starts_with("HTTP/1.1 ")) {
    response.status = std::stoi(response.head.substr(9, 3));
  }
  return response;
}

void expect_json_problem(const std::string& what, const std::string& answer, int status) {
  const RawResponse response = parse(answer);
  BOOST_TEST(response.status == status, what << ": " << answer.substr(0, 300));
  BOOST_TEST(response.header("Content-Type").value_or("").starts_with("application/json"),
             what << ": " << response.head);
  BOOST_TEST(response.header("X-Content-Type-Options").value_or("") == "nosniff", what);
  BOOST_TEST(response.header("X-Frame-Options").value_or("") == "DENY", what);
  BOOST_TEST(
      response.header("Content-Security-Policy").value_or("").find("frame-ancestors 'none'") != std::string::npos,
      what);
  rapidjson::Document body;
  body.Parse(response.body.c_str());
  if (body.HasParseError() || !body.IsObject()) {
    BOOST_ERROR(what << ": not a JSON object: " << response.body.substr(0, 60));
    return;
  }
  BOOST_TEST((body.HasMember("status") && body["status"].IsInt() && body["status"].GetInt() == status), what);
  BOOST_TEST((body.HasMember("title") && body["title"].IsString() && body["title"].GetStringLength() > 0), what);
  BOOST_TEST((body.HasMember("detail") && body["detail"].IsString() && body["detail"].GetStringLength() > 0), what);
}

const std::string kHost = "Host: 127.0.0.1\r\n";

}  // namespace

// Regression (issue 16, finding 8f): nginx answered 405, 414, 400, 501 and 505 with its HTML pages.
BOOST_AUTO_TEST_CASE(every_error_nginx_answers_is_json) {
  const std::vector<Case> cases = {
      {"bad request line", "GARBAGE\r\n\r\n", 400},
      {"lower-case method", "get / HTTP/1.1\r\n" + kHost + "\r\n", 400},
      {"unknown method on a static file", "FOO /index.html HTTP/1.1\r\n" + kHost + "\r\n", 405},
      {"TRACE", "TRACE / HTTP/1.1\r\n" + kHost + "\r\n", 405},
      {"POST to a static file", "POST /index.html HTTP/1.1\r\n" + kHost + "Content-Length: 2\r\n\r\n{}", 405},
      {"10 KB URI", "GET /" + std::string(10000, 'a') + " HTTP/1.1\r\n" + kHost + "\r\n", 414},
      {"HTTP/3.0", "GET / HTTP/3.0\r\n" + kHost + "\r\n", 505},
      {"HTTP/2.0 in plain text", "GET /api/v1/health HTTP/2.0\r\n" + kHost + "\r\n", 505},
      {"Content-Length not a number", "POST /api/v1/build HTTP/1.1\r\n" + kHost + "Content-Length: abc\r\n\r\n", 400},
      {"negative Content-Length", "POST /api/v1/build HTTP/1.1\r\n" + kHost + "Content-Length: -1\r\n\r\n", 400},
      {"Content-Length and chunked",
       "POST /api/v1/build HTTP/1.1\r\n" + kHost + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
       400},
      {"unknown Transfer-Encoding", "POST /api/v1/build HTTP/1.1\r\n" + kHost + "Transfer-Encoding: gzip\r\n\r\n", 501},
      {"malformed chunk to the API",
       "POST /api/v1/build HTTP/1.1\r\n" + kHost + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"malformed chunk to a static file",
       "DELETE /index.html HTTP/1.1\r\n" + kHost + "Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"HTTP/1.1 without Host", "GET / HTTP/1.1\r\n\r\n", 400},
      {"two Host headers", "GET / HTTP/1.1\r\n" + kHost + kHost + "\r\n", 400},
      {"control byte in a header name", "GET / HTTP/1.1\r\n" + kHost + "Bad\x01Name: 1\r\n\r\n", 400},
      {"header over the buffers (494)", "GET / HTTP/1.1\r\n" + kHost + "X-Big: " + std::string(9000, 'b') + "\r\n\r\n",
       400},
      {"%00 in the path", "GET /%00 HTTP/1.1\r\n" + kHost + "\r\n", 400},
      {"missing file", "GET /no-such-file.html HTTP/1.1\r\n" + kHost + "\r\n", 404},
      {"range outside the file", "GET /index.html HTTP/1.1\r\n" + kHost + "Range: bytes=99999999-\r\n\r\n", 416},
      {"3 MB to the API", "POST /api/v1/build HTTP/1.1\r\n" + kHost + "Content-Length: 3000000\r\n\r\n", 413},
      {"40 MB upload",
       "POST /api/v1/firmware-upgrader/build/x/image/ HTTP/1.1\r\n" + kHost + "Content-Length: 40000000\r\n\r\n", 413},
  };
  for (const Case& c : cases) {
    expect_json_problem(c.what, exchange(c.request), c.status);
  }
  // Metrics from an address that is not allowed.
  expect_json_problem("metrics from 127.0.0.2",
                      exchange("GET /api/v1/metrics HTTP/1.1\r\n" + kHost + "\r\n", "127.0.0.2"), 403);
}

// HTTP/0.9 has no status line or headers: nginx answers with the body alone, which is the JSON.
BOOST_AUTO_TEST_CASE(an_http_0_9_error_is_the_json_body_alone) {
  const std::string answer = exchange("GET /%00\r\n");
  rapidjson::Document body;
  body.Parse(answer.c_str());
  BOOST_REQUIRE_MESSAGE(!body.HasParseError(), answer);
  BOOST_TEST(body["status"].GetInt() == 400);
}
