// Prometheus text exposition of metric families.
#include "fwhub/common/metrics_text.hpp"

#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace fwhub {
namespace {

std::string format_value(double value) {
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  if (std::isnan(value)) {
    return "NaN";
  }
  return fmt::format("{}", value);
}

// Backslash and newline escaped, and the double quote too when `quote` (label values; HELP text
// keeps its quotes).
std::string escaped(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quote) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void add_histogram(MetricFamily& family, const MetricLabels& labels, const std::vector<double>& bounds,
                   const std::vector<std::uint64_t>& counts, double sum) {
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds.size() && i < counts.size(); ++i) {
    total += counts[i];
    MetricLabels with_le = labels;
    with_le.emplace_back("le", i < bounds.size() ? format_value(bounds[i]) : "+Inf");
    family.samples.push_back({"_bucket", std::move(with_le), static_cast<double>(total)});
  }
  family.samples.push_back({"_sum", labels, sum});
  family.samples.push_back({"_count", labels, static_cast<double>(total)});
}

std::string escape_label_value(std::string_view value) {
  return escaped(value, true);
}

std::string render_exposition(const std::vector<MetricFamily>& families) {
  std::string out;
  for (const auto& family : families) {
    out +=
        fmt::format("# HELP {} {}\n# TYPE {} {}\n", family.name, escaped(family.help, false), family.name, family.type);
    for (const auto& sample : family.samples) {
      out += family.name;
      out += sample.suffix;
      if (!sample.labels.empty()) {
        out += '{';
        for (std::size_t i = 0; i < sample.labels.size(); ++i) {
          out += fmt::format("{}{}=\"{}\"", i == 0 ? "" : ",", sample.labels[i].first,
                             escape_label_value(sample.labels[i].second));
        }
        out += '}';
      }
      out += ' ';
      out += format_value(sample.value);
      out += '\n';
    }
  }
  return out;
}

}  // namespace fwhub
