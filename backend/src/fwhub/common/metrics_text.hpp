// Metric families and their Prometheus text exposition (format 0.0.4): HELP and TYPE lines,
// samples with escaped label values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fwhub {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

struct MetricSample {
  std::string suffix;  // appended to the family name: "", "_bucket", "_sum", "_count"
  MetricLabels labels;
  double value = 0;
};

struct MetricFamily {
  std::string name;  // fwhub_http_requests_total
  std::string type;  // counter, gauge, histogram
  std::string help;
  std::vector<MetricSample> samples;
};

// Histogram upper bounds in seconds (Prometheus' defaults), +Inf implied.
inline constexpr double kLatencyBounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

// Adds the _bucket (cumulative, le="+Inf" last), _sum and _count samples of one histogram
// series; `counts` holds the observations per bucket (not cumulative), one more than bounds.
void add_histogram(MetricFamily& family, const MetricLabels& labels, const std::vector<double>& bounds,
                   const std::vector<std::uint64_t>& counts, double sum);

// Label value with backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);

// The exposition text of `families`, in order; a family without samples still gets HELP/TYPE.
std::string render_exposition(const std::vector<MetricFamily>& families);

}  // namespace fwhub
