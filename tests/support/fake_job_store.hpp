// An in-memory JobStore recording every call, for scheduler unit tests.
#pragma once

#include <map>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/job.hpp"

namespace fwhub::testing {

class FakeJobStore final : public domain::JobStore {
 public:
  struct Outcome {
    std::string state;  // succeeded, failed, retry, released
    std::string error;
    std::chrono::milliseconds delay{0};
  };

  std::optional<std::uint64_t> enqueue(const domain::NewJob& job) override {
    enqueued.push_back(job);
    return enqueued.size();
  }
  std::optional<domain::Job> claim(const std::string& /*owner*/, std::chrono::seconds /*lease*/,
                                   const std::vector<std::string>& /*kinds*/) override {
    conflicts += conflicts_per_claim;
    if (claims_unavailable) {
      throw Error(Code::kUnavailable, "claim conflicts on every try");
    }
    return std::nullopt;
  }
  [[nodiscard]] std::uint64_t claim_conflicts() const override { return conflicts; }
  int renew_leases(const std::string& /*owner*/, std::chrono::seconds /*lease*/) override { return 0; }
  bool record_step(std::uint64_t id, const std::string& /*owner*/, const std::string& step,
                   const std::string& /*data*/) override {
    steps[id].push_back(step);
    return lease_held;
  }
  bool succeed(std::uint64_t id, const std::string& /*owner*/) override { return set(id, {"succeeded", "", {}}); }
  bool fail(std::uint64_t id, const std::string& /*owner*/, const std::string& error) override {
    return set(id, {"failed", error, {}});
  }
  bool defer(std::uint64_t id, const std::string& /*owner*/, std::chrono::milliseconds delay) override {
    return set(id, {"defer", "", delay});
  }
  bool retry_later(std::uint64_t id, const std::string& /*owner*/, const std::string& error,
                   std::chrono::milliseconds delay) override {
    return set(id, {"retry", error, delay});
  }
  bool reschedule(std::uint64_t id, const std::string& /*owner*/, const std::string& error,
                  std::chrono::milliseconds delay) override {
    return set(id, {"rescheduled", error, delay});
  }
  bool release(std::uint64_t id, const std::string& /*owner*/) override { return set(id, {"released", "", {}}); }
  int delete_finished_older_than(std::chrono::hours /*age*/) override { return 0; }

  bool lease_held = true;
  std::uint64_t conflicts_per_claim = 0;  // claim() finds nothing after this many conflicts
  std::uint64_t conflicts = 0;
  bool claims_unavailable = false;  // claim() throws kUnavailable after its conflicts
  int unavailable_writes = 0;       // the next this many outcome writes fail as with the database down
  std::map<std::uint64_t, Outcome> outcomes;
  std::map<std::uint64_t, std::vector<std::string>> steps;
  std::vector<domain::NewJob> enqueued;

 private:
  bool set(std::uint64_t id, Outcome outcome) {
    if (unavailable_writes > 0) {
      --unavailable_writes;
      throw Error(Code::kUnavailable, "database unavailable: Server has gone away");
    }
    outcomes[id] = std::move(outcome);
    return lease_held;
  }
};

}  // namespace fwhub::testing
