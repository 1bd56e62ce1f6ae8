// Error mapping: one table from codes to HTTP statuses, one catch site with JSON bodies.
#define BOOST_TEST_MODULE error_mapping
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "fwhub/api/dispatcher.hpp"
#include "fwhub/api/http_error.hpp"
#include "support/fake_build_store.hpp"
#include "support/fake_catalog.hpp"

using namespace fwhub;
using namespace fwhub::api;

namespace {

class DownProbe final : public service::DatabaseProbe {
 public:
  Status ping() override { return {Code::kUnavailable, "down"}; }
};

struct Fixture {
  DownProbe probe;
  SteadyClock clock;
  service::HealthCache cache{clock, std::chrono::milliseconds(0)};
  service::HealthService health{probe, cache};
  testing::FakeCatalog catalog;
  testing::FakeBuildStore build_store;
  Config config;
  service::BuildService builds{catalog, build_store, config};
  Context context{health, catalog, builds, config};
  Router router;

  Response call(const std::string& method, const std::string& path) {
    const Dispatcher dispatcher(router);
    Request request;
    request.method = method;
    request.path = path;
    request.request_id = "rid";
    return dispatcher.dispatch(request, context);
  }
};

rapidjson::Document parse(const std::string& body) {
  rapidjson::Document document;
  document.Parse(body.c_str());
  BOOST_REQUIRE(!document.HasParseError());
  return document;
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

BOOST_AUTO_TEST_CASE(every_code_has_its_status) {
  BOOST_TEST(http_status(Code::kInvalidArgument) == 400);
  BOOST_TEST(http_status(Code::kUnauthenticated) == 401);
  BOOST_TEST(http_status(Code::kPermissionDenied) == 403);
  BOOST_TEST(http_status(Code::kNotFound) == 404);
  BOOST_TEST(http_status(Code::kAlreadyExists) == 409);
  BOOST_TEST(http_status(Code::kPayloadTooLarge) == 413);
  BOOST_TEST(http_status(Code::kUnprocessable) == 422);
  BOOST_TEST(http_status(Code::kResourceExhausted) == 429);
  BOOST_TEST(http_status(Code::kInternal) == 500);
  BOOST_TEST(http_status(Code::kUnavailable) == 503);
}

BOOST_FIXTURE_TEST_CASE(not_found_is_json, Fixture) {
  const Response response = call("GET", "/nowhere");
  BOOST_TEST(response.status == 404);
  BOOST_TEST(header(response, "Content-Type") == "application/json");
  BOOST_TEST(header(response, "X-Request-Id") == "rid");
  const auto body = parse(response.body);
  BOOST_TEST(body["status"].GetInt() == 404);
  BOOST_TEST(std::string(body["title"].GetString()) == "Not Found");
  BOOST_TEST(std::string(body["detail"].GetString()) == "no such resource: /nowhere");
}

BOOST_FIXTURE_TEST_CASE(method_not_allowed_has_allow_header, Fixture) {
  router.add("GET", "/x", [](const Request&, Context&) { return Response{}; });
  const Response response = call("POST", "/x");
  BOOST_TEST(response.status == 405);
  BOOST_TEST(header(response, "Allow") == "GET, HEAD");
  BOOST_TEST(parse(response.body)["status"].GetInt() == 405);
}

BOOST_FIXTURE_TEST_CASE(handler_errors_map_to_statuses, Fixture) {
  router.add("GET", "/bad", [](const Request&, Context&) -> Response {
    throw Error(Code::kUnprocessable, "field 'version' is required");
  });
  const Response response = call("GET", "/bad");
  BOOST_TEST(response.status == 422);
  BOOST_TEST(std::string(parse(response.body)["detail"].GetString()) == "field 'version' is required");
}

BOOST_FIXTURE_TEST_CASE(unexpected_exceptions_hide_details, Fixture) {
  router.add("GET", "/boom", [](const Request&, Context&) -> Response { throw std::runtime_error("secret path"); });
  const Response response = call("GET", "/boom");
  BOOST_TEST(response.status == 500);
  BOOST_TEST(response.body.find("secret") == std::string::npos);
  BOOST_TEST(std::string(parse(response.body)["detail"].GetString()) == "internal error; request id rid");
}

BOOST_FIXTURE_TEST_CASE(health_reports_database_down_as_503, Fixture) {
  router.add("GET", "/health", [](const Request& r, Context& c) {
    return c.health.check().database_ok ? Response{} : problem_response(503, "database unavailable " + r.request_id);
  });
  BOOST_TEST(call("GET", "/health").status == 503);
}

BOOST_AUTO_TEST_CASE(serialization_is_cgi_style) {
  Response response = problem_response(404, "x");
  const std::string head_only = response.serialize(false);
  BOOST_TEST(head_only.starts_with("Status: 404 Not Found\r\n"));
  BOOST_TEST(head_only.ends_with("\r\n\r\n"));
  BOOST_TEST(response.serialize(true).ends_with(response.body));
}
