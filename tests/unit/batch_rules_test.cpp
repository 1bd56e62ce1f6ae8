// Mass upgrade rules without storage: batch status from counts (upstream's order), the staged
// rollout's first wave and verdict, and the offline retry delays of persistent batches.
#define BOOST_TEST_MODULE batch_rules
#include <boost/test/unit_test.hpp>

#include "fwhub/domain/upgrade/batch_rules.hpp"
#include "support/fake_random.hpp"

using namespace fwhub::domain::upgrade;

namespace {

BatchCounts counts(int queued, int pending, int in_progress, int success, int failed, int aborted, int cancelled) {
  BatchCounts c;
  c.queued = queued;
  c.pending = pending;
  c.in_progress = in_progress;
  c.success = success;
  c.failed = failed;
  c.aborted = aborted;
  c.cancelled = cancelled;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_CASE(status_follows_the_first_matching_rule) {
  BOOST_TEST(batch_status("in-progress", counts(0, 0, 1, 5, 1, 0, 1)) == "in-progress");
  BOOST_TEST(batch_status("in-progress", counts(0, 1, 0, 5, 1, 0, 0)) == "in-progress");  // pending is open
  BOOST_TEST(batch_status("in-progress", counts(0, 0, 0, 5, 0, 1, 1)) == "failed");       // aborted counts
  BOOST_TEST(batch_status("in-progress", counts(0, 0, 0, 5, 0, 0, 1)) == "cancelled");
  BOOST_TEST(batch_status("in-progress", counts(0, 0, 0, 5, 0, 0, 0)) == "success");
}

BOOST_AUTO_TEST_CASE(scheduled_paused_and_cancelled_batches_keep_their_status) {
  BOOST_TEST(batch_status("scheduled", counts(3, 0, 0, 0, 0, 0, 0)) == "scheduled");
  BOOST_TEST(batch_status("paused", counts(2, 0, 1, 1, 0, 0, 0)) == "paused");
  // Nothing left to start: a paused batch ends like any other.
  BOOST_TEST(batch_status("paused", counts(0, 0, 0, 3, 0, 0, 0)) == "success");
  BOOST_TEST(batch_status("cancelled", counts(0, 0, 1, 3, 0, 0, 2)) == "cancelled");
  BOOST_TEST(batch_status("cancelled", counts(0, 0, 0, 3, 0, 0, 0)) == "cancelled");
}

BOOST_AUTO_TEST_CASE(counts_add_up_by_status_name) {
  BatchCounts c;
  BOOST_TEST(c.add("queued", 2));
  BOOST_TEST(c.add("in-progress", 1));
  BOOST_TEST(c.add("aborted", 1));
  BOOST_TEST(!c.add("exploded", 1));
  BOOST_TEST(c.open() == 3);
  BOOST_TEST(c.total() == 4);
}

BOOST_AUTO_TEST_CASE(the_first_wave_is_a_count_or_a_percentage_rounded_up) {
  BOOST_TEST(first_wave_size(0, 0, 100) == 0);
  BOOST_TEST(first_wave_size(5, 0, 100) == 5);
  BOOST_TEST(first_wave_size(500, 0, 100) == 100);
  BOOST_TEST(first_wave_size(0, 10, 100) == 10);
  BOOST_TEST(first_wave_size(0, 10, 15) == 2);   // 1.5 → 2
  BOOST_TEST(first_wave_size(0, 0.1, 15) == 1);  // at least one device
  BOOST_TEST(first_wave_size(3, 0, 0) == 0);     // an empty batch has no wave
}

BOOST_AUTO_TEST_CASE(the_first_wave_is_judged_once_it_has_ended) {
  // Two of four started, one still running: no verdict yet.
  BOOST_TEST(!judge_first_wave(4, counts(6, 0, 1, 3, 0, 0, 0), 25).has_value());
  // Not all of the wave started yet.
  BOOST_TEST(!judge_first_wave(4, counts(7, 0, 0, 3, 0, 0, 0), 25).has_value());
  const auto passed = judge_first_wave(4, counts(6, 0, 0, 3, 1, 0, 0), 25);
  BOOST_REQUIRE(passed.has_value());
  BOOST_TEST(passed->passed);  // exactly 25 % is allowed
  BOOST_TEST(passed->reason.empty());
  const auto stopped = judge_first_wave(4, counts(6, 0, 0, 2, 1, 1, 0), 25);
  BOOST_REQUIRE(stopped.has_value());
  BOOST_TEST(!stopped->passed);
  BOOST_TEST(stopped->failure_rate == 50.0);
  BOOST_TEST(stopped->reason ==
             "Stopped after the first wave: 2 of 4 devices failed (50.00 %, more than the 25.00 % allowed).");
  BOOST_TEST(!judge_first_wave(0, counts(0, 0, 0, 2, 2, 0, 0), 0).has_value());  // no staged rollout
}

BOOST_AUTO_TEST_CASE(offline_devices_are_retried_from_ten_minutes_to_twelve_hours) {
  using std::chrono::seconds;
  fwhub::testing::FakeRandom middle({0.5});  // no jitter
  BOOST_TEST(offline_retry_delay(1, seconds(600), seconds(43200), middle).count() == 600);
  BOOST_TEST(offline_retry_delay(3, seconds(600), seconds(43200), middle).count() == 2400);
  BOOST_TEST(offline_retry_delay(20, seconds(600), seconds(43200), middle).count() == 43200);
  fwhub::testing::FakeRandom low({0.0});
  fwhub::testing::FakeRandom high({0.999999});
  BOOST_TEST(offline_retry_delay(1, seconds(600), seconds(43200), low).count() == 450);  // -25 %
  const auto top = offline_retry_delay(1, seconds(600), seconds(43200), high).count();
  BOOST_TEST((top >= 749 && top <= 750), top);  // +25 %
}
