// Job runner: each handler outcome ends in the right stored state.
#define BOOST_TEST_MODULE job_runner
#include <boost/test/unit_test.hpp>

#include "fwhub/scheduler/job_runner.hpp"
#include "support/fake_job_store.hpp"
#include "support/fake_random.hpp"

using namespace fwhub;
using namespace fwhub::scheduler;
using fwhub::testing::FakeJobStore;
using fwhub::testing::FakeRandom;

namespace {

struct Fixture {
  JobKindRegistry registry;
  FakeJobStore store;
  FakeRandom random{{0.5}};
  std::atomic<bool> stopping{false};

  void kind(JobHandler handler, std::optional<std::chrono::seconds> period = std::nullopt) {
    JobKind job_kind;
    job_kind.name = "test";
    job_kind.run = std::move(handler);
    job_kind.backoff = {std::chrono::seconds(10), std::chrono::seconds(100), 2.0, 0.25};
    job_kind.period = period;
    registry.add(job_kind);
  }

  // The kind "closing", with a close hook (`gave_up`).
  void closing_kind(JobHandler handler, std::function<void(const domain::Job&, const std::string&)> close) {
    JobKind job_kind;
    job_kind.name = "closing";
    job_kind.run = std::move(handler);
    job_kind.gave_up = std::move(close);
    registry.add(job_kind);
  }

  JobOutcome run(int attempts = 1, int max_attempts = 3, const std::string& kind_name = "test") {
    domain::Job job;
    job.id = 7;
    job.kind = kind_name;
    job.attempts = attempts;
    job.max_attempts = max_attempts;
    return JobRunner(registry, random).run(job, store, "owner", stopping);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(ok_succeeds, Fixture) {
  kind([](JobContext&) { return Status::ok(); });
  BOOST_TEST(static_cast<int>(run()) == static_cast<int>(JobOutcome::kSucceeded));
  BOOST_TEST(store.outcomes.at(7).state == "succeeded");
}

// Regression (found by tests/chaos): a job that ended while MariaDB restarted stayed 'running' under
// its scheduler, whose heartbeat renewed the lease forever.
BOOST_FIXTURE_TEST_CASE(the_outcome_is_stored_once_the_database_is_back, Fixture) {
  kind([](JobContext&) { return Status(Code::kUnavailable, "mirror down"); });
  store.unavailable_writes = 3;
  BOOST_TEST(static_cast<int>(run(1, 3)) == static_cast<int>(JobOutcome::kRetrying));
  BOOST_TEST(store.unavailable_writes == 0);
  BOOST_TEST(store.outcomes.at(7).state == "retry");
}

BOOST_FIXTURE_TEST_CASE(a_stopping_scheduler_does_not_wait_for_the_database, Fixture) {
  kind([](JobContext&) { return Status::ok(); });
  store.unavailable_writes = 1;
  stopping = true;
  BOOST_CHECK_THROW(run(), Error);
  BOOST_TEST(store.outcomes.empty());
}

BOOST_FIXTURE_TEST_CASE(unavailable_retries_with_backoff, Fixture) {
  kind([](JobContext&) { return Status(Code::kUnavailable, "mirror down"); });
  BOOST_TEST(static_cast<int>(run(2, 3)) == static_cast<int>(JobOutcome::kRetrying));
  BOOST_TEST(store.outcomes.at(7).state == "retry");
  BOOST_TEST(store.outcomes.at(7).error == "mirror down");
  BOOST_TEST(store.outcomes.at(7).delay.count() == 20'000);
}

BOOST_FIXTURE_TEST_CASE(unavailable_on_last_attempt_fails, Fixture) {
  kind([](JobContext&) { return Status(Code::kUnavailable, "mirror down"); });
  BOOST_TEST(static_cast<int>(run(3, 3)) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(store.outcomes.at(7).error == "mirror down");
}

BOOST_FIXTURE_TEST_CASE(claimed_past_max_attempts_gives_up_without_running, Fixture) {
  bool ran = false;
  kind([&ran](JobContext&) {
    ran = true;
    return Status::ok();
  });
  BOOST_TEST(static_cast<int>(run(4, 3)) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(!ran);
  BOOST_TEST(store.outcomes.at(7).error == "gave up after 3 attempts");
}

// Regression (found by tests/chaos): a build whose schedulers were killed during every attempt
// stayed 'running' for ever once its job was given up; the kind now closes it first.
BOOST_FIXTURE_TEST_CASE(giving_up_lets_the_kind_close_what_the_job_left_open, Fixture) {
  std::string closed;
  closing_kind([](JobContext&) { return Status::ok(); },
               [&closed](const domain::Job& job, const std::string& reason) {
                 closed = std::to_string(job.id) + ": " + reason;
               });
  BOOST_TEST(static_cast<int>(run(4, 3, "closing")) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(closed == "7: gave up after 3 attempts");
  BOOST_TEST(store.outcomes.at(7).state == "failed");
}

BOOST_FIXTURE_TEST_CASE(a_failed_close_gives_the_job_back_for_later, Fixture) {
  closing_kind([](JobContext&) { return Status::ok(); },
               [](const domain::Job&, const std::string&) { throw std::runtime_error("store broken"); });
  BOOST_TEST(static_cast<int>(run(4, 3, "closing")) == static_cast<int>(JobOutcome::kRetrying));
  BOOST_TEST(store.outcomes.at(7).state == "retry");
  BOOST_TEST(store.outcomes.at(7).delay.count() == 30'000);
}

BOOST_FIXTURE_TEST_CASE(closing_waits_for_the_database, Fixture) {
  int tries = 0;
  closing_kind([](JobContext&) { return Status::ok(); },
               [&tries](const domain::Job&, const std::string&) {
                 if (++tries < 3) {
                   throw Error(Code::kUnavailable, "database unavailable");
                 }
               });
  BOOST_TEST(static_cast<int>(run(4, 3, "closing")) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(tries == 3);
  BOOST_TEST(store.outcomes.at(7).state == "failed");
}

// Regression (found by tests/chaos in CI): a build job whose last attempt could not reach MariaDB
// ended failed, and its build stayed 'running' for ever; a failed job now closes it like one whose
// attempts ran out.
BOOST_FIXTURE_TEST_CASE(a_failed_last_attempt_lets_the_kind_close_what_it_left_open, Fixture) {
  std::string closed;
  closing_kind([](JobContext&) -> Status { throw Error(Code::kUnavailable, "cannot connect to the database"); },
               [&closed](const domain::Job& job, const std::string& reason) {
                 closed = std::to_string(job.id) + ": " + reason;
               });
  BOOST_TEST(static_cast<int>(run(3, 3, "closing")) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(closed == "7: cannot connect to the database");
  BOOST_TEST(store.outcomes.at(7).state == "failed");
  BOOST_TEST(store.outcomes.at(7).error == "cannot connect to the database");
}

BOOST_FIXTURE_TEST_CASE(a_failed_close_of_a_failed_run_is_tried_again_with_its_cause, Fixture) {
  closing_kind([](JobContext&) { return Status(Code::kInvalidArgument, "bad payload"); },
               [](const domain::Job&, const std::string&) { throw std::runtime_error("store broken"); });
  BOOST_TEST(static_cast<int>(run(1, 3, "closing")) == static_cast<int>(JobOutcome::kRetrying));
  BOOST_TEST(store.outcomes.at(7).state == "retry");
  BOOST_TEST(store.outcomes.at(7).error == "bad payload");
  BOOST_TEST(store.outcomes.at(7).delay.count() == 30'000);
}

BOOST_FIXTURE_TEST_CASE(aborted_releases, Fixture) {
  kind([](JobContext& context) { return context.stopping() ? Status(Code::kAborted, "stopping") : Status::ok(); });
  stopping = true;
  BOOST_TEST(static_cast<int>(run()) == static_cast<int>(JobOutcome::kReleased));
  BOOST_TEST(store.outcomes.at(7).state == "released");
}

BOOST_FIXTURE_TEST_CASE(other_codes_and_exceptions_fail, Fixture) {
  kind([](JobContext&) -> Status { throw std::runtime_error("bad payload"); });
  BOOST_TEST(static_cast<int>(run()) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(store.outcomes.at(7).error == "bad payload");
}

BOOST_FIXTURE_TEST_CASE(thrown_unavailable_is_retried, Fixture) {
  kind([](JobContext&) -> Status { throw Error(Code::kUnavailable, "db gone"); });
  BOOST_TEST(static_cast<int>(run()) == static_cast<int>(JobOutcome::kRetrying));
}

BOOST_FIXTURE_TEST_CASE(unknown_kind_fails, Fixture) {
  BOOST_TEST(static_cast<int>(run(1, 3, "nope")) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(store.outcomes.at(7).error == "unknown job kind: nope");
}

BOOST_FIXTURE_TEST_CASE(lost_lease_is_reported, Fixture) {
  kind([](JobContext& context) { return context.record_step("download", "{}"); });
  store.lease_held = false;
  BOOST_TEST(static_cast<int>(run()) == static_cast<int>(JobOutcome::kLeaseLost));
  BOOST_TEST(store.steps.at(7).size() == 1U);
}

BOOST_FIXTURE_TEST_CASE(periodic_kind_requeues_its_own_row, Fixture) {
  kind([](JobContext&) { return Status::ok(); }, std::chrono::seconds(3600));
  BOOST_TEST(static_cast<int>(run()) == static_cast<int>(JobOutcome::kSucceeded));
  BOOST_TEST(store.outcomes.at(7).state == "rescheduled");
  BOOST_TEST(store.outcomes.at(7).error == "");
  BOOST_TEST(store.outcomes.at(7).delay.count() == 3'600'000);
  BOOST_TEST(store.enqueued.empty());
}

BOOST_FIXTURE_TEST_CASE(periodic_kind_failing_finally_keeps_its_error_and_period, Fixture) {
  kind([](JobContext&) { return Status(Code::kUnavailable, "upstream down"); }, std::chrono::seconds(60));
  BOOST_TEST(static_cast<int>(run(3, 3)) == static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(store.outcomes.at(7).state == "rescheduled");
  BOOST_TEST(store.outcomes.at(7).error == "upstream down");
  BOOST_TEST(store.outcomes.at(7).delay.count() == 60'000);
}

BOOST_FIXTURE_TEST_CASE(a_deferred_job_waits_without_using_an_attempt, Fixture) {
  kind([](JobContext& context) {
    context.defer(std::chrono::seconds(180));  // a device rebooting
    return Status::ok();
  });
  BOOST_TEST(static_cast<int>(run(3, 3)) == static_cast<int>(JobOutcome::kReleased));
  BOOST_TEST(store.outcomes.at(7).state == "defer");
  BOOST_TEST(store.outcomes.at(7).delay.count() == 180'000);
}

BOOST_FIXTURE_TEST_CASE(payload_strings_are_read_or_the_job_fails_saying_which, Fixture) {
  std::string seen;
  kind([&seen](JobContext& context) {
    seen = context.payload_string("request_hash");
    return Status::ok();
  });
  domain::Job job;
  job.id = 7;
  job.kind = "test";
  job.attempts = 1;
  job.max_attempts = 3;
  job.payload = R"({"request_hash":"abc"})";
  JobRunner(registry, random).run(job, store, "owner", stopping);
  BOOST_TEST(seen == "abc");
  job.payload = R"({"request_hash":7})";
  BOOST_TEST(static_cast<int>(JobRunner(registry, random).run(job, store, "owner", stopping)) ==
             static_cast<int>(JobOutcome::kFailed));
  BOOST_TEST(store.outcomes.at(7).error == "test job without request_hash");
}
