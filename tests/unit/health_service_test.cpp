// Health service: probes the database, reuses a result for the cache interval only.
#define BOOST_TEST_MODULE health_service
#include <boost/test/unit_test.hpp>

#include "fwhub/service/health_service.hpp"
#include "support/manual_clock.hpp"

using namespace fwhub;
using namespace std::chrono_literals;

using fwhub::testing::ManualClock;

namespace {

class CountingProbe final : public service::DatabaseProbe {
 public:
  Status ping() override {
    ++calls;
    return up ? Status::ok() : Status(Code::kUnavailable, "connection refused");
  }
  bool up = true;
  int calls = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(result_is_reused_within_the_interval_only) {
  ManualClock clock;
  CountingProbe probe;
  service::HealthCache cache(clock, 250ms);
  service::HealthService health(probe, cache);
  BOOST_TEST(health.check().database_ok);
  BOOST_TEST(health.check().database_ok);
  BOOST_TEST(probe.calls == 1);
  probe.up = false;
  clock.advance(249ms);
  BOOST_TEST(health.check().database_ok);
  clock.advance(1ms);
  const auto report = health.check();
  BOOST_TEST(!report.database_ok);
  BOOST_TEST(report.database_detail == "connection refused");
  BOOST_TEST(probe.calls == 2);
  probe.up = true;
  clock.advance(250ms);
  BOOST_TEST(health.check().database_ok);
  BOOST_TEST(!health.check().version.empty());
}

BOOST_AUTO_TEST_CASE(zero_interval_probes_every_time) {
  ManualClock clock;
  CountingProbe probe;
  service::HealthCache cache(clock, 0ms);
  service::HealthService health(probe, cache);
  health.check();
  health.check();
  BOOST_TEST(probe.calls == 2);
}
