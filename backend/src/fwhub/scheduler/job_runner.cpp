// Outcome classification of one job run.
#include "fwhub/scheduler/job_runner.hpp"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <functional>
#include <thread>
#include <utility>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/log.hpp"

namespace fwhub::scheduler {
namespace {

Status run_handler(const JobKind& kind, JobContext& context) {
  try {
    return kind.run(context);
  } catch (const Error& error) {
    return error.status();
  } catch (const std::exception& error) {
    return {Code::kInternal, error.what()};
  }
}

// Log fields of a job: its id and kind, and the ids its payload names (operation, batch, build
// request hash, device), so that every line of the run can be found by any of them.
LogFields job_log_fields(const domain::Job& job) {
  LogFields fields = {{"job", std::to_string(job.id)}, {"kind", job.kind}};
  rapidjson::Document payload;
  if (!parse_json(payload, job.payload).empty() || !payload.IsObject()) {
    return fields;
  }
  static constexpr std::array<std::pair<const char*, const char*>, 4> kIds = {
      {{"operation_id", "operation"}, {"batch_id", "batch"}, {"request_hash", "build"}, {"device_id", "device"}}};
  for (const auto& [member, field] : kIds) {
    const auto it = payload.FindMember(member);
    if (it != payload.MemberEnd() && it->value.IsString()) {
      fields.emplace_back(field, it->value.GetString());
    }
  }
  return fields;
}

// Stores a run's outcome. While the database is unavailable (a restart, a failover) it tries again
// instead of leaving the row 'running' under this scheduler, whose heartbeat would then renew the
// lease forever; a stopping scheduler gives up (its lease runs out and another one takes the job).
bool store_outcome(const std::function<bool()>& write, const std::atomic<bool>& stopping) {
  std::chrono::milliseconds delay{100};
  for (;;) {
    try {
      return write();
    } catch (const Error& error) {
      if (error.code() != Code::kUnavailable || stopping) {
        throw;
      }
      spdlog::warn("storing a job's outcome: {}; trying again in {} ms", error.what(), delay.count());
      std::this_thread::sleep_for(delay);
      delay = std::min(delay * 2, std::chrono::milliseconds(2000));
    }
  }
}

}  // namespace

JobOutcome JobRunner::run(domain::Job& job, domain::JobStore& store, const std::string& owner,
                          const std::atomic<bool>& stopping) const {
  const LogScope log_scope(job_log_fields(job));
  const JobKind* kind = registry_.find(job.kind);
  // A finished run of a periodic kind queues the same row again one period later.
  const auto finish = [&](const std::string& error) {
    return store_outcome(
        [&] {
          if (kind != nullptr && kind->period) {
            return store.reschedule(job.id, owner, error, *kind->period);
          }
          return error.empty() ? store.succeed(job.id, owner) : store.fail(job.id, owner, error);
        },
        stopping);
  };
  if (kind == nullptr) {
    finish("unknown job kind: " + job.kind);
    spdlog::error("job {}: unknown kind {}", job.id, job.kind);
    return JobOutcome::kFailed;
  }
  // A job that ends failed first lets its kind close what it leaves open (a build or an operation
  // in progress), waiting for the database like an outcome does. When closing fails otherwise, the
  // job is given back and closed (or, with attempts left, run) again when it is claimed next.
  const auto closed = [&](const std::string& reason) {
    if (!kind->gave_up) {
      return true;
    }
    try {
      return store_outcome(
          [&] {
            kind->gave_up(job, reason);
            return true;
          },
          stopping);
    } catch (const std::exception& error) {
      spdlog::warn("job {} ({}): closing it failed, trying again in 30 s: {}", job.id, job.kind, error.what());
      const std::string kept = job.attempts > job.max_attempts ? job.last_error : reason;
      store_outcome([&] { return store.retry_later(job.id, owner, kept, std::chrono::seconds(30)); }, stopping);
      return false;
    }
  };
  if (job.attempts > job.max_attempts) {
    const std::string message = "gave up after " + std::to_string(job.max_attempts) + " attempts" +
                                (job.last_error.empty() ? "" : ": " + job.last_error);
    if (!closed(message)) {
      return JobOutcome::kRetrying;
    }
    finish(message);
    spdlog::error("job {} ({}): {}", job.id, job.kind, message);
    return JobOutcome::kFailed;
  }
  spdlog::info("job {} ({}) attempt {}/{} started{}", job.id, job.kind, job.attempts, job.max_attempts,
               job.step.empty() ? "" : " from step " + job.step);
  JobContext context(job, store, owner, stopping);
  const Status status = run_handler(*kind, context);
  JobOutcome outcome = JobOutcome::kFailed;
  bool still_mine = true;
  if (status.is_ok() && context.deferred()) {
    still_mine = store_outcome([&] { return store.defer(job.id, owner, *context.deferred()); }, stopping);
    outcome = JobOutcome::kReleased;
  } else if (status.is_ok()) {
    still_mine = finish("");
    outcome = JobOutcome::kSucceeded;
  } else if (status.code() == Code::kAborted) {
    still_mine = store_outcome([&] { return store.release(job.id, owner); }, stopping);
    outcome = JobOutcome::kReleased;
  } else if (status.code() == Code::kUnavailable && job.attempts < job.max_attempts) {
    const auto delay = backoff_delay(kind->backoff, job.attempts, random_);
    still_mine = store_outcome([&] { return store.retry_later(job.id, owner, status.message(), delay); }, stopping);
    outcome = JobOutcome::kRetrying;
    spdlog::warn("job {} ({}) attempt {} failed, retry in {} ms: {}", job.id, job.kind, job.attempts, delay.count(),
                 status.message());
  } else {
    const std::string message = status.message().empty() ? std::string(code_name(status.code())) : status.message();
    if (!closed(message)) {
      return JobOutcome::kRetrying;
    }
    still_mine = finish(message);
  }
  if (!still_mine) {
    spdlog::warn("job {} ({}): lease lost before its outcome was stored", job.id, job.kind);
    return JobOutcome::kLeaseLost;
  }
  if (outcome == JobOutcome::kFailed) {
    spdlog::error("job {} ({}) failed: {}", job.id, job.kind, status.to_string());
  } else if (outcome == JobOutcome::kSucceeded) {
    spdlog::info("job {} ({}) succeeded", job.id, job.kind);
  }
  return outcome;
}

}  // namespace fwhub::scheduler
