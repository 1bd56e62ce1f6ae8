// Revision endpoint: version_code of a known target, 400 texts for unknown versions and targets.
#define BOOST_TEST_MODULE revision_handler
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include "fwhub/api/dispatcher.hpp"
#include "fwhub/api/routes.hpp"
#include "support/fake_build_store.hpp"
#include "support/fake_catalog.hpp"

using namespace fwhub;
using namespace fwhub::api;

namespace {

class UpProbe final : public service::DatabaseProbe {
 public:
  Status ping() override { return Status::ok(); }
};

struct Fixture {
  UpProbe probe;
  SteadyClock clock;
  service::HealthCache cache{clock, std::chrono::milliseconds(0)};
  service::HealthService health{probe, cache};
  testing::FakeCatalog catalog;
  testing::FakeBuildStore build_store;
  Config config;
  service::BuildService builds{catalog, build_store, config};
  Context context{health, catalog, builds, config};
  Router router = make_routes();

  Fixture() { catalog.codes[{"23.05.4", "ath79/generic"}] = "r24012-d8dd03c46f"; }

  std::pair<int, std::string> get(const std::string& path) {
    Request request;
    request.method = "GET";
    request.path = path;
    const Response response = Dispatcher(router).dispatch(request, context);
    rapidjson::Document body;
    body.Parse(response.body.c_str());
    BOOST_REQUIRE(!body.HasParseError());
    const char* key = response.status == 200 ? "revision" : "detail";
    return {response.status, body[key].GetString()};
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(known_target_answers_its_revision, Fixture) {
  const auto [status, text] = get("/api/v1/revision/23.05.4/ath79/generic");
  BOOST_TEST(status == 200);
  BOOST_TEST(text == "r24012-d8dd03c46f");
}

BOOST_FIXTURE_TEST_CASE(unknown_version_is_400, Fixture) {
  const auto [status, text] = get("/api/v1/revision/99.99.9/ath79/generic");
  BOOST_TEST(status == 400);
  BOOST_TEST(text == "Unsupported version: 99.99.9");
}

BOOST_FIXTURE_TEST_CASE(unknown_target_is_400, Fixture) {
  const auto [status, text] = get("/api/v1/revision/23.05.4/ath79/nand");
  BOOST_TEST(status == 400);
  BOOST_TEST(text == "Unsupported target: ath79/nand");
}
