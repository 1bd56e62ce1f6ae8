// Worker and heartbeat threads of the scheduler.
#include "fwhub/scheduler/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <thread>
#include <vector>

namespace fwhub::scheduler {

Scheduler::Scheduler(SchedulerOptions options, const JobKindRegistry& registry, JobStoreFactory factory, Random& random)
    : options_(std::move(options)),
      registry_(registry),
      factory_(std::move(factory)),
      random_(random),
      runner_(registry, random),
      counters_(registry.names()) {}

void Scheduler::run() {
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(options_.workers) + 1);
  threads.emplace_back(&Scheduler::heartbeat_loop, this);
  for (int i = 0; i < options_.workers; ++i) {
    threads.emplace_back(&Scheduler::worker_loop, this);
  }
  spdlog::info("scheduler {} running {} workers for kinds {}", options_.owner, options_.workers,
               fmt::join(registry_.names(), ","));
  for (auto& thread : threads) {
    thread.join();
  }
  report_counters();
  spdlog::info("scheduler {} stopped after {} jobs", options_.owner, jobs_run_.load());
}

void Scheduler::stop() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void Scheduler::idle(std::chrono::milliseconds duration) {
  std::unique_lock lock(mutex_);
  wake_.wait_for(lock, duration, [this] { return stopping_.load(); });
}

void Scheduler::worker_loop() {
  const std::shared_ptr<domain::JobStore> store = factory_();
  std::uint64_t conflicts_counted = 0;  // of the store's claim_conflicts()
  const auto count_conflicts = [&] {
    const std::uint64_t conflicts = store->claim_conflicts();
    counters_.claim_conflicts(conflicts - conflicts_counted);
    conflicts_counted = conflicts;
  };
  while (!stopping_) {
    const std::vector<std::string> kinds = reserve_kinds();
    std::string claimed;
    try {
      std::optional<domain::Job> job = store->claim(options_.owner, options_.lease, kinds);
      count_conflicts();
      if (!job) {
        release_kinds(kinds, "");
        // Jitter keeps idle schedulers from polling in lockstep.
        idle(std::chrono::milliseconds(
            static_cast<long>(static_cast<double>(options_.poll.count()) * (0.5 + random_.uniform()))));
        continue;
      }
      claimed = job->kind;
      release_kinds(kinds, claimed);
      counters_.claimed(claimed);
      counters_.finished(claimed, runner_.run(*job, *store, options_.owner, stopping_));
      ++jobs_run_;
      release_kinds({claimed}, "");
    } catch (const Error& error) {
      count_conflicts();  // a claim that lost every try
      release_kinds(claimed.empty() ? kinds : std::vector<std::string>{claimed}, "");
      spdlog::warn("scheduler worker: {}", error.what());
      idle(options_.poll * 4);
    }
  }
}

std::vector<std::string> Scheduler::reserve_kinds() {
  std::vector<std::string> kinds;
  const std::lock_guard lock(slots_mutex_);
  for (const auto& kind : registry_.kinds()) {
    if (kind.max_parallel <= 0) {
      kinds.push_back(kind.name);
    } else if (running_[kind.name] < kind.max_parallel) {
      ++running_[kind.name];
      kinds.push_back(kind.name);
    }
  }
  return kinds;
}

void Scheduler::release_kinds(const std::vector<std::string>& kinds, const std::string& kept) {
  const std::lock_guard lock(slots_mutex_);
  for (const auto& name : kinds) {
    const JobKind* kind = registry_.find(name);
    if (kind != nullptr && kind->max_parallel > 0 && name != kept) {
      --running_[name];
    }
  }
}

void Scheduler::heartbeat_loop() {
  const std::shared_ptr<domain::JobStore> store = factory_();
  while (!stopping_) {
    try {
      counters_.heartbeat(store->renew_leases(options_.owner, options_.lease));
      for (const auto& kind : registry_.kinds()) {
        if (kind.period) {
          // The first run is due at once; afterwards the runner re-queues the same row.
          store->enqueue(
              {kind.name, "{}", 0, kind.max_attempts, std::chrono::milliseconds(0), periodic_key(kind.name)});
        }
      }
    } catch (const Error& error) {
      spdlog::warn("scheduler heartbeat: {}", error.what());
    }
    report_counters();
    idle(std::chrono::duration_cast<std::chrono::milliseconds>(options_.lease) / 3);
  }
}

void Scheduler::report_counters() {
  if (!options_.report) {
    return;
  }
  try {
    options_.report(counters_.snapshot());
  } catch (const Error& error) {
    spdlog::warn("scheduler counters not stored: {}", error.what());
  }
}

}  // namespace fwhub::scheduler
