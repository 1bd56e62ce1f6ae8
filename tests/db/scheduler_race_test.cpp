// Two schedulers racing over 1,000 jobs run each job exactly once, with claims spread over the
// first 16 due jobs (the scheduler's default).
#define BOOST_TEST_MODULE scheduler_race
#include <boost/test/unit_test.hpp>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "fwhub/db/job_repository.hpp"
#include "fwhub/scheduler/scheduler.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using namespace std::chrono_literals;
using fwhub::testing::TestDatabase;

namespace {

constexpr int kJobs = 1000;

struct OwnedStore {
  OwnedStore(const DatabaseConfig& config, Random& random)
      : connection(config), repository(connection, db::ClaimOptions{16}, random) {}
  db::Connection connection;
  db::JobRepository repository;
};

scheduler::JobStoreFactory factory(const DatabaseConfig& config, Random& random) {
  return [config, &random] {
    auto owned = std::make_shared<OwnedStore>(config, random);
    return std::shared_ptr<domain::JobStore>(owned, &owned->repository);
  };
}

}  // namespace

BOOST_AUTO_TEST_CASE(two_schedulers_run_each_of_1000_jobs_exactly_once) {
  TestDatabase database;
  database.migrate();
  SystemRandom random;
  {
    OwnedStore store(database.config(), random);
    for (int i = 0; i < kJobs; ++i) {
      domain::NewJob job;
      job.kind = "count";
      job.payload = std::to_string(i);
      store.repository.enqueue(job);
    }
  }
  std::mutex mutex;
  std::map<std::uint64_t, int> runs;
  std::map<std::string, int> per_owner;
  scheduler::JobKindRegistry registry;
  scheduler::JobKind kind;
  kind.name = "count";
  kind.run = [&](scheduler::JobContext& context) {
    const std::lock_guard lock(mutex);
    ++runs[context.job().id];
    return Status::ok();
  };
  registry.add(kind);

  std::vector<std::unique_ptr<scheduler::Scheduler>> schedulers;
  for (const char* owner : {"race-a", "race-b"}) {
    scheduler::SchedulerOptions options;
    options.owner = owner;
    options.workers = 3;
    options.poll = 20ms;
    options.lease = 30s;
    schedulers.push_back(
        std::make_unique<scheduler::Scheduler>(options, registry, factory(database.config(), random), random));
  }
  std::vector<std::thread> threads;
  threads.reserve(schedulers.size());
  for (auto& s : schedulers) {
    threads.emplace_back([&s] { s->run(); });
  }
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  while (database.scalar("SELECT COUNT(*) FROM jobs WHERE state = 'succeeded'") != std::to_string(kJobs) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  for (auto& s : schedulers) {
    s->stop();
  }
  for (auto& thread : threads) {
    thread.join();
  }
  BOOST_TEST(runs.size() == static_cast<std::size_t>(kJobs));
  int total = 0;
  for (const auto& [id, count] : runs) {
    BOOST_TEST(count == 1, "job " << id << " ran " << count << " times");
    total += count;
  }
  BOOST_TEST(total == kJobs);
  BOOST_TEST(schedulers[0]->jobs_run() > 0);
  BOOST_TEST(schedulers[1]->jobs_run() > 0);
  BOOST_TEST(schedulers[0]->jobs_run() + schedulers[1]->jobs_run() == kJobs);
  BOOST_TEST(database.scalar("SELECT COUNT(*) FROM jobs WHERE state <> 'succeeded' OR attempts <> 1") == "0");
}
