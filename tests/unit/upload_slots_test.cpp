// UploadSlots: at most `limit` taken at once, a slot given back when its holder goes, never more
// than the limit under contention.
#define BOOST_TEST_MODULE upload_slots
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "fwhub/api/upload_slots.hpp"

using fwhub::api::UploadSlots;

BOOST_AUTO_TEST_CASE(the_limit_is_kept_and_slots_come_back) {
  UploadSlots slots(2);
  auto first = slots.try_take();
  auto second = slots.try_take();
  BOOST_TEST(first.has_value());
  BOOST_TEST(second.has_value());
  BOOST_TEST(!slots.try_take().has_value());
  BOOST_TEST(slots.in_use() == 2);
  first.reset();
  BOOST_TEST(slots.in_use() == 1);
  auto third = slots.try_take();
  BOOST_TEST(third.has_value());
  BOOST_TEST(!slots.try_take().has_value());
}

BOOST_AUTO_TEST_CASE(a_moved_slot_is_given_back_once) {
  UploadSlots slots(1);
  {
    auto taken = slots.try_take();
    BOOST_REQUIRE(taken.has_value());
    const UploadSlots::Slot moved = std::move(*taken);
    taken.reset();  // the moved-from slot holds nothing
    BOOST_TEST(slots.in_use() == 1);
  }
  BOOST_TEST(slots.in_use() == 0);
}

BOOST_AUTO_TEST_CASE(threads_never_hold_more_than_the_limit) {
  constexpr int kLimit = 3;
  UploadSlots slots(kLimit);
  std::atomic<int> holding{0};
  std::atomic<int> most{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20000; ++i) {
        if (const auto slot = slots.try_take()) {
          const int now = ++holding;
          int seen = most.load();
          while (now > seen && !most.compare_exchange_weak(seen, now)) {
          }
          --holding;
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  BOOST_TEST(most.load() <= kLimit);
  BOOST_TEST(most.load() >= 1);
  BOOST_TEST(slots.in_use() == 0);
}
