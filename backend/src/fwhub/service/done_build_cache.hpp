// Finished builds by the request as it arrived, shared by the threads of one API process: a POST
// of a request that is already built is answered without catalog checks or database reads. A
// finished build never changes until it expires, and an entry never outlives the build.
#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "fwhub/common/clock.hpp"
#include "fwhub/domain/build/build_record.hpp"

namespace fwhub::service {

class DoneBuildCache {
 public:
  DoneBuildCache(const Clock& clock, std::size_t capacity) : clock_(clock), capacity_(capacity) {}

  // The finished build stored under `key`, unless it has expired since.
  std::optional<domain::build::BuildRecord> find(const std::string& key);
  // Keeps a finished build for its remaining lifetime (record.seconds_left); the entry closest to
  // its end makes room when the cache is full.
  void store(const std::string& key, const domain::build::BuildRecord& record);

 private:
  struct Entry {
    domain::build::BuildRecord record;
    std::chrono::steady_clock::time_point expires;
  };

  const Clock& clock_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace fwhub::service
