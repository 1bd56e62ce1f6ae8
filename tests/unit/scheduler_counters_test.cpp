// Scheduler counters: the claim conflicts of every worker's store reach the reported counters.
#define BOOST_TEST_MODULE scheduler_counters
#include <boost/test/unit_test.hpp>

#include <mutex>
#include <thread>

#include "fwhub/scheduler/scheduler.hpp"
#include "support/fake_job_store.hpp"

using namespace fwhub;
using namespace std::chrono_literals;
using fwhub::testing::FakeJobStore;

namespace {

// Runs a scheduler of two workers on fake stores for a moment; returns its last report's
// claim_conflicts and the conflicts its stores counted.
std::pair<std::uint64_t, std::uint64_t> run_with(std::uint64_t conflicts_per_claim, bool claims_unavailable) {
  scheduler::JobKindRegistry registry;
  scheduler::JobKind kind;
  kind.name = "test";
  kind.run = [](scheduler::JobContext&) { return Status::ok(); };
  registry.add(kind);
  std::mutex mutex;
  std::vector<std::shared_ptr<FakeJobStore>> stores;
  std::vector<domain::SchedulerCounter> reported;
  scheduler::SchedulerOptions options;
  options.owner = "counting";
  options.workers = 2;
  options.poll = 5ms;
  options.lease = 3s;
  options.report = [&](const std::vector<domain::SchedulerCounter>& counters) {
    const std::lock_guard lock(mutex);
    reported = counters;
  };
  SystemRandom random;
  scheduler::Scheduler scheduler(
      options, registry,
      [&] {
        auto store = std::make_shared<FakeJobStore>();
        store->conflicts_per_claim = conflicts_per_claim;
        store->claims_unavailable = claims_unavailable;
        const std::lock_guard lock(mutex);
        stores.push_back(store);
        return std::shared_ptr<domain::JobStore>(store);
      },
      random);
  std::thread thread([&scheduler] { scheduler.run(); });
  std::this_thread::sleep_for(300ms);
  scheduler.stop();
  thread.join();
  std::uint64_t counted = 0;
  for (const auto& store : stores) {
    counted += store->conflicts;
  }
  std::uint64_t value = 0;
  int rows = 0;
  for (const auto& counter : reported) {
    if (counter.counter == "claim_conflicts") {
      BOOST_TEST(counter.kind.empty());
      value = counter.value;
      ++rows;
    }
  }
  BOOST_TEST(rows == 1);
  return {value, counted};
}

}  // namespace

BOOST_AUTO_TEST_CASE(claim_conflicts_of_all_workers_are_reported) {
  const auto [reported, counted] = run_with(3, false);
  BOOST_TEST(counted >= 6U);  // each worker claimed at least once
  BOOST_TEST(reported == counted);
}

BOOST_AUTO_TEST_CASE(conflicts_of_a_claim_that_gave_up_are_reported) {
  const auto [reported, counted] = run_with(8, true);
  BOOST_TEST(counted >= 16U);
  BOOST_TEST(reported == counted);
}

BOOST_AUTO_TEST_CASE(no_conflicts_report_zero) {
  const auto [reported, counted] = run_with(0, false);
  BOOST_TEST(counted == 0U);
  BOOST_TEST(reported == 0U);
}
