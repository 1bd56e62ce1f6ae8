// A job held by a scheduler killed with SIGKILL is resumed by another one after its lease
// expires, from the last step the dead one recorded.
#define BOOST_TEST_MODULE lease_expiry
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "fwhub/db/job_repository.hpp"
#include "fwhub/scheduler/scheduler.hpp"
#include "support/test_database.hpp"

using namespace fwhub;
using namespace std::chrono_literals;
using fwhub::testing::TestDatabase;

BOOST_AUTO_TEST_CASE(killed_schedulers_job_is_resumed_after_lease_expiry) {
  TestDatabase database;
  database.migrate();
  std::uint64_t id = 0;
  {
    db::Connection connection(database.config());
    db::JobRepository jobs(connection);
    domain::NewJob job;
    job.kind = "two-steps";
    id = jobs.enqueue(job).value();
  }

  // The doomed scheduler: claims with a 4 s lease, records the first step, dies mid-job.
  const pid_t child = ::fork();
  if (child == 0) {
    db::Connection connection(database.config());
    db::JobRepository jobs(connection);
    const auto claimed = jobs.claim("doomed", 4s, {"two-steps"});
    if (claimed && jobs.record_step(claimed->id, "doomed", "first", R"({"done":1})")) {
      ::raise(SIGKILL);
    }
    ::_exit(3);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  BOOST_REQUIRE(WIFSIGNALED(status));
  BOOST_TEST(WTERMSIG(status) == SIGKILL);
  BOOST_TEST(database.scalar("SELECT CONCAT(state, ' ', lease_owner, ' ', step) FROM jobs") == "running doomed first");
  {
    db::Connection connection(database.config());
    db::JobRepository jobs(connection);
    BOOST_TEST(!jobs.claim("early", 30s, {"two-steps"}).has_value(), "taken over before the lease expired");
  }

  std::string resumed_from;
  int runs = 0;
  scheduler::JobKindRegistry registry;
  scheduler::JobKind kind;
  kind.name = "two-steps";
  kind.run = [&](scheduler::JobContext& context) {
    ++runs;
    resumed_from = context.job().step + " " + context.job().step_data;
    return context.record_step("second", "{}");
  };
  registry.add(kind);
  SystemRandom random;
  scheduler::SchedulerOptions options;
  options.owner = "rescuer";
  options.workers = 1;
  options.poll = 50ms;
  options.lease = 30s;
  scheduler::Scheduler rescuer(
      options, registry,
      [&database] {
        auto connection = std::make_shared<db::Connection>(database.config());
        auto jobs = std::make_shared<db::JobRepository>(*connection);
        return std::shared_ptr<domain::JobStore>(jobs.get(), [connection, jobs](domain::JobStore*) {});
      },
      random);
  const auto started = std::chrono::steady_clock::now();
  std::thread thread([&rescuer] { rescuer.run(); });
  while (database.scalar("SELECT state FROM jobs") != "succeeded" && std::chrono::steady_clock::now() - started < 30s) {
    std::this_thread::sleep_for(50ms);
  }
  rescuer.stop();
  thread.join();
  BOOST_TEST(database.scalar("SELECT CONCAT(state, ' ', attempts, ' ', step) FROM jobs WHERE id = " +
                             std::to_string(id)) == "succeeded 2 second");
  BOOST_TEST(runs == 1);
  BOOST_TEST(resumed_from == R"(first {"done":1})");
}
