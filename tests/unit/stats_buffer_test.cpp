// Build statistics buffer: merging per key, batches only after the interval, restoring rows
// that could not be written.
#define BOOST_TEST_MODULE stats_buffer
#include <boost/test/unit_test.hpp>

#include "fwhub/domain/build/stats_buffer.hpp"
#include "support/manual_clock.hpp"

using namespace fwhub::domain::build;

using fwhub::testing::ManualClock;

namespace {

NewBuild build_of(const std::string& profile) {
  return {"hash", "{}", "23.05.4", "ath79/generic", profile, "auc/0.3.2"};
}

}  // namespace

BOOST_AUTO_TEST_CASE(events_of_one_key_become_one_row) {
  ManualClock clock;
  StatsBuffer buffer(clock, std::chrono::seconds(1));
  for (int i = 0; i < 1000; ++i) {
    buffer.add(BuildEvent::kRequest, build_of("a"), 0, "2026-11-25");
  }
  buffer.add(BuildEvent::kCacheHit, build_of("a"), 0, "2026-11-25");
  buffer.add(BuildEvent::kRequest, build_of("b"), 0, "2026-11-25");
  buffer.add(BuildEvent::kRequest, build_of("a"), 0, "2026-11-26");
  const auto rows = buffer.take_due();
  BOOST_REQUIRE(rows.size() == 4U);
  long long total = 0;
  for (const auto& row : rows) {
    total += row.count;
    if (row.profile == "a" && row.event == BuildEvent::kRequest && row.day == "2026-11-25") {
      BOOST_TEST(row.count == 1000);
    }
  }
  BOOST_TEST(total == 1003);
  BOOST_TEST(buffer.take_due().empty());
}

BOOST_AUTO_TEST_CASE(batches_wait_for_the_interval) {
  ManualClock clock;
  StatsBuffer buffer(clock, std::chrono::seconds(1));
  buffer.add(BuildEvent::kSuccess, build_of("a"), 2.5, "2026-11-25");
  BOOST_TEST(buffer.take_due().size() == 1U);
  buffer.add(BuildEvent::kSuccess, build_of("a"), 1.5, "2026-11-25");
  BOOST_TEST(buffer.take_due().empty());  // within the interval of the last batch
  clock.advance(std::chrono::milliseconds(1000));
  const auto rows = buffer.take_due();
  BOOST_REQUIRE(rows.size() == 1U);
  BOOST_TEST(rows[0].seconds == 1.5);
}

BOOST_AUTO_TEST_CASE(restored_rows_merge_with_new_events) {
  ManualClock clock;
  StatsBuffer buffer(clock, std::chrono::seconds(1));
  buffer.add(BuildEvent::kFailure, build_of("a"), 1.0, "2026-11-25");
  const auto failed_write = buffer.take_due();
  BOOST_REQUIRE(failed_write.size() == 1U);
  buffer.add(BuildEvent::kFailure, build_of("a"), 2.0, "2026-11-25");
  buffer.restore(failed_write);
  clock.advance(std::chrono::seconds(1));
  const auto rows = buffer.take_due();
  BOOST_REQUIRE(rows.size() == 1U);
  BOOST_TEST(rows[0].count == 2);
  BOOST_TEST(rows[0].seconds == 3.0);
}
