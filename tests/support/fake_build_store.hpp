// An in-memory BuildStore for build service and handler unit tests.
#pragma once

#include <map>
#include <string>
#include <vector>

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

  void count_packages(const std::string& branch, const std::vector<std::string>& names) override {
    for (const auto& name : names) {
      ++packages[branch + " " + name];
    }
  }
  std::vector<domain::build::DailyCount> events_per_day(int /*days*/) override { return daily; }
  std::vector<domain::build::DailyCount> requests_per_version(int /*days*/) override { return daily; }
  std::vector<domain::build::PackageCount> top_packages(const std::string& /*branch*/, int /*limit*/) override {
    return {};
  }
  std::vector<domain::build::FailedBuild> recent_failures(int /*limit*/) override { return failures; }

  std::map<std::string, domain::build::BuildRecord> builds;
  std::map<domain::build::BuildEvent, int> events;
  std::map<std::string, int> packages;
  std::vector<domain::build::DailyCount> daily;
  std::vector<domain::build::FailedBuild> failures;
};

}  // namespace fwhub::testing
