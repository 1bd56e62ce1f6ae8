// An in-memory BuildStore for build service and handler unit tests.
#pragma once

#include <map>

#include "fwhub/domain/build/build_record.hpp"

namespace fwhub::testing {

class FakeBuildStore final : public domain::build::BuildStore {
 public:
  std::optional<domain::build::BuildRecord> find(const std::string& request_hash) override {
    const auto it = builds.find(request_hash);
    return it == builds.end() ? std::nullopt : std::optional(it->second);
  }
  int pending() override {
    int count = 0;
    for (const auto& [hash, build] : builds) {
      count +=
          build.status == domain::build::BuildStatus::kQueued || build.status == domain::build::BuildStatus::kRunning;
    }
    return count;
  }
  bool create(const domain::build::NewBuild& build) override {
    domain::build::BuildRecord record;
    record.request_hash = build.request_hash;
    record.request_json = build.request_json;
    record.version = build.version;
    record.target = build.target;
    record.profile = build.profile;
    record.client = build.client;
    record.enqueued_at = "2026-11-24T12:00:00.000000Z";
    record.queue_position = pending() + 1;
    return builds.emplace(build.request_hash, record).second;
  }
  void count(domain::build::BuildEvent event, const domain::build::NewBuild& /*build*/, double /*seconds*/) override {
    ++events[event];
  }

  std::map<std::string, domain::build::BuildRecord> builds;
  std::map<domain::build::BuildEvent, int> events;
};

}  // namespace fwhub::testing
