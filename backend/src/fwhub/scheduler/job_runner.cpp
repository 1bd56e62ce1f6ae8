// Outcome classification of one job run.
#include "fwhub/scheduler/job_runner.hpp"

#include <spdlog/spdlog.h>

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

}  // namespace

JobOutcome JobRunner::run(domain::Job& job, domain::JobStore& store, const std::string& owner,
                          const std::atomic<bool>& stopping) const {
  const JobKind* kind = registry_.find(job.kind);
  // A finished run of a periodic kind queues the same row again one period later.
  const auto finish = [&](const std::string& error) {
    if (kind != nullptr && kind->period) {
      return store.reschedule(job.id, owner, error, *kind->period);
    }
    return error.empty() ? store.succeed(job.id, owner) : store.fail(job.id, owner, error);
  };
  if (kind == nullptr) {
    finish("unknown job kind: " + job.kind);
    spdlog::error("job {}: unknown kind {}", job.id, job.kind);
    return JobOutcome::kFailed;
  }
  if (job.attempts > job.max_attempts) {
    const std::string message = "gave up after " + std::to_string(job.max_attempts) + " attempts" +
                                (job.last_error.empty() ? "" : ": " + job.last_error);
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
    still_mine = store.defer(job.id, owner, *context.deferred());
    outcome = JobOutcome::kReleased;
  } else if (status.is_ok()) {
    still_mine = finish("");
    outcome = JobOutcome::kSucceeded;
  } else if (status.code() == Code::kAborted) {
    still_mine = store.release(job.id, owner);
    outcome = JobOutcome::kReleased;
  } else if (status.code() == Code::kUnavailable && job.attempts < job.max_attempts) {
    const auto delay = backoff_delay(kind->backoff, job.attempts, random_);
    still_mine = store.retry_later(job.id, owner, status.message(), delay);
    outcome = JobOutcome::kRetrying;
    spdlog::warn("job {} ({}) attempt {} failed, retry in {} ms: {}", job.id, job.kind, job.attempts, delay.count(),
                 status.message());
  } else {
    still_mine = finish(status.message().empty() ? std::string(code_name(status.code())) : status.message());
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
