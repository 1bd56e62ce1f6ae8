// Backoff: exponential growth, ceiling and jitter bounds with an injected random source.
#define BOOST_TEST_MODULE backoff
#include <boost/test/unit_test.hpp>

#include "fwhub/common/backoff.hpp"
#include "support/fake_random.hpp"

using namespace std::chrono;
using fwhub::backoff_delay;
using fwhub::BackoffPolicy;
using fwhub::testing::FakeRandom;

BOOST_AUTO_TEST_CASE(grows_exponentially_without_jitter) {
  FakeRandom random({0.5});  // 0.5 = no jitter
  const BackoffPolicy policy{seconds(60), seconds(600), 2.0, 0.25};
  BOOST_TEST(backoff_delay(policy, 1, random).count() == 60'000);
  BOOST_TEST(backoff_delay(policy, 2, random).count() == 120'000);
  BOOST_TEST(backoff_delay(policy, 3, random).count() == 240'000);
  BOOST_TEST(backoff_delay(policy, 4, random).count() == 480'000);
  BOOST_TEST(backoff_delay(policy, 5, random).count() == 600'000);
  BOOST_TEST(backoff_delay(policy, 50, random).count() == 600'000);
}

BOOST_AUTO_TEST_CASE(jitter_stays_within_its_fraction) {
  const BackoffPolicy policy{seconds(10), seconds(100), 2.0, 0.25};
  FakeRandom low({0.0});
  FakeRandom high({0.999999});
  BOOST_TEST(backoff_delay(policy, 1, low).count() == 7'500);
  BOOST_TEST(backoff_delay(policy, 1, high).count() == 12'500);
  BOOST_TEST(backoff_delay(policy, 10, low).count() == 75'000);
}

BOOST_AUTO_TEST_CASE(attempt_zero_counts_as_first) {
  FakeRandom random({0.5});
  const BackoffPolicy policy{milliseconds(100), seconds(1), 3.0, 0.0};
  BOOST_TEST(backoff_delay(policy, 0, random).count() == 100);
  BOOST_TEST(backoff_delay(policy, 2, random).count() == 300);
}
