// The shared upload budget: parallel takers together never go faster than the rate.
#define BOOST_TEST_MODULE bandwidth_limit
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <thread>
#include <vector>

#include "fwhub/common/bandwidth_limit.hpp"

BOOST_AUTO_TEST_CASE(four_uploads_share_one_rate) {
  constexpr std::uint64_t kRate = 4U << 20U;  // 4 MiB/s
  fwhub::BandwidthLimit limit(kRate);
  const auto begin = std::chrono::steady_clock::now();
  std::vector<std::thread> uploads;
  uploads.reserve(4);
  for (int i = 0; i < 4; ++i) {
    uploads.emplace_back([&limit] {
      for (int chunk = 0; chunk < 8; ++chunk) {
        limit.take(64U << 10U);  // 4 x 8 x 64 KiB = 2 MiB in all
      }
    });
  }
  for (auto& upload : uploads) {
    upload.join();
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  // 2 MiB at 4 MiB/s cannot take less than half a second, however the threads interleave; each
  // alone would have been allowed the whole rate (4x faster) without the shared budget.
  BOOST_TEST(seconds >= 0.49, seconds);
}

BOOST_AUTO_TEST_CASE(no_limit_never_waits_for_the_budget) {
  fwhub::BandwidthLimit unlimited(0);
  const auto begin = std::chrono::steady_clock::now();
  for (int chunk = 0; chunk < 1000; ++chunk) {
    unlimited.take(1U << 20U);
  }
  BOOST_TEST(std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count() < 0.5);
}
