// Shared-memory request counters: fixed-size slots of atomics, one per route and status code.
#include "fwhub/api/request_metrics.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <new>
#include <string>

#include "fwhub/common/status.hpp"

namespace fwhub::api {
namespace {

// Atomics shared between processes must not fall back to a process-local lock.
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);

constexpr int kFirstStatus = 100;
constexpr int kLastStatus = 599;
constexpr std::size_t kBuckets = std::size(kLatencyBounds) + 1;  // the last one is +Inf
constexpr std::array<std::string_view, 7> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
constexpr std::string_view kUnmatched = "unmatched";

// Index of `method` among kMethods; kMethods.size() for any other method.
std::size_t method_index(std::string_view method) {
  return static_cast<std::size_t>(std::find(kMethods.begin(), kMethods.end(), method) - kMethods.begin());
}

}  // namespace

struct RequestMetrics::Slot {
  std::array<std::atomic<std::uint64_t>, kLastStatus - kFirstStatus + 1> by_status{};
  std::array<std::atomic<std::uint64_t>, kBuckets> buckets{};
  std::atomic<std::uint64_t> sum_microseconds{0};
};

RequestMetrics::RequestMetrics(const Router& router) : names_(router.names()) {
  for (const auto method : kMethods) {
    names_.push_back({std::string(method), std::string(kUnmatched)});
  }
  names_.push_back({"other", std::string(kUnmatched)});
  bytes_ = names_.size() * sizeof(Slot);
  void* region = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (region == MAP_FAILED) {
    throw Error(Code::kInternal, std::string("cannot map the request counters: ") + std::strerror(errno));
  }
  slots_ = static_cast<Slot*>(region);
  for (std::size_t i = 0; i < names_.size(); ++i) {
    new (&slots_[i]) Slot();
  }
}

RequestMetrics::~RequestMetrics() {
  ::munmap(slots_, bytes_);
}

void RequestMetrics::record(std::optional<std::size_t> route, std::string_view method, int status,
                            std::chrono::nanoseconds elapsed) noexcept {
  const std::size_t routes = names_.size() - kMethods.size() - 1;
  const std::size_t index = route && *route < routes ? *route : routes + method_index(method);
  Slot& slot = slots_[index];
  const int code = std::clamp(status, kFirstStatus, kLastStatus);
  slot.by_status[static_cast<std::size_t>(code - kFirstStatus)].fetch_add(1, std::memory_order_relaxed);
  const double seconds = std::chrono::duration<double>(elapsed).count();
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(std::begin(kLatencyBounds), std::end(kLatencyBounds), seconds) - std::begin(kLatencyBounds));
  slot.buckets[bucket].fetch_add(1, std::memory_order_relaxed);
  slot.sum_microseconds.fetch_add(
      static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count()),
      std::memory_order_relaxed);
}

std::vector<MetricFamily> RequestMetrics::families() const {
  MetricFamily requests{"fwhub_http_requests_total",
                        "counter",
                        "HTTP requests answered by the API pool, by route template, method and status code.",
                        {}};
  MetricFamily durations{"fwhub_http_request_duration_seconds",
                         "histogram",
                         "Time from a request's parameters read to its response written, by route and method.",
                         {}};
  const std::vector<double> bounds(std::begin(kLatencyBounds), std::end(kLatencyBounds));
  for (std::size_t i = 0; i < names_.size(); ++i) {
    const Slot& slot = slots_[i];
    const MetricLabels labels = {{"route", names_[i].pattern}, {"method", names_[i].method}};
    for (std::size_t s = 0; s < slot.by_status.size(); ++s) {
      const std::uint64_t count = slot.by_status[s].load(std::memory_order_relaxed);
      if (count > 0) {
        MetricLabels with_status = labels;
        with_status.emplace_back("status", std::to_string(static_cast<int>(s) + kFirstStatus));
        requests.samples.push_back({"", std::move(with_status), static_cast<double>(count)});
      }
    }
    std::vector<std::uint64_t> counts;
    counts.reserve(kBuckets);
    for (const auto& bucket : slot.buckets) {
      counts.push_back(bucket.load(std::memory_order_relaxed));
    }
    if (std::any_of(counts.begin(), counts.end(), [](std::uint64_t n) { return n > 0; })) {
      add_histogram(durations, labels, bounds, counts,
                    static_cast<double>(slot.sum_microseconds.load(std::memory_order_relaxed)) / 1e6);
    }
  }
  return {std::move(requests), std::move(durations)};
}

}  // namespace fwhub::api
