// Builds as stored: their states, progress and outcome, and the store the build use cases need
// (a port implemented by db::BuildRepository).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace fwhub::domain::build {

enum class BuildStatus { kQueued, kRunning, kDone, kFailed };

struct BuildRecord {
  std::string request_hash;
  BuildStatus status = BuildStatus::kQueued;
  std::string imagebuilder_status = "init";  // step while running
  std::string request_json;
  std::string version;
  std::string target;
  std::string profile;
  std::string client;
  std::string enqueued_at;  // ISO 8601, UTC
  int queue_position = 0;   // 1-based among queued builds; 0 unless queued
  std::string result_json;  // done: the result document
  std::string detail;       // failed: "Error: ..."
  std::string stdout_text;
  std::string stderr_text;
  int seconds_left = 0;  // until a finished build expires
};

struct NewBuild {
  std::string request_hash;
  std::string request_json;
  std::string version;
  std::string target;
  std::string profile;
  std::string client;
};

enum class BuildEvent { kRequest, kCacheHit, kCacheMiss, kSuccess, kFailure };

// One cell of a daily statistics series: `key` is an event name or a version.
struct DailyCount {
  std::string day;  // YYYY-MM-DD
  std::string key;
  long long count = 0;
};

struct PackageCount {
  std::string package;
  long long count = 0;
};

struct FailedBuild {
  std::string finished_at;  // ISO 8601, UTC
  std::string version;
  std::string target;
  std::string profile;
  std::string detail;
};

class BuildStore {
 public:
  virtual ~BuildStore() = default;
  // The build of a hash, unless missing or expired.
  virtual std::optional<BuildRecord> find(const std::string& request_hash) = 0;
  // Builds queued or running.
  virtual int pending() = 0;
  // Creates the build and its job in one transaction (replacing an expired build of the same
  // hash); false when another request created it first.
  virtual bool create(const NewBuild& build) = 0;
  virtual void count(BuildEvent event, const NewBuild& build, double seconds) = 0;
  // Counts the packages a new build asked for, per branch (top-packages).
  virtual void count_packages(const std::string& branch, const std::vector<std::string>& packages) = 0;
  // Statistics of the last `days` days (today included).
  virtual std::vector<DailyCount> events_per_day(int days) = 0;
  virtual std::vector<DailyCount> requests_per_version(int days) = 0;
  virtual std::vector<PackageCount> top_packages(const std::string& branch, int limit) = 0;
  // Failed builds still kept, newest first.
  virtual std::vector<FailedBuild> recent_failures(int limit) = 0;
};

}  // namespace fwhub::domain::build
