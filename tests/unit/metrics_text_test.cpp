// Prometheus exposition: HELP/TYPE lines, label escaping, cumulative histogram buckets ending in
// +Inf with _sum and _count.
#define BOOST_TEST_MODULE metrics_text
#include <boost/test/unit_test.hpp>

#include "fwhub/common/metrics_text.hpp"

using fwhub::MetricFamily;

BOOST_AUTO_TEST_CASE(counter_family_has_help_type_and_samples) {
  MetricFamily family{"fwhub_things_total", "counter", "Things seen.", {}};
  family.samples.push_back({"", {{"kind", "a"}, {"status", "200"}}, 3});
  family.samples.push_back({"", {}, 0.5});
  BOOST_TEST(fwhub::render_exposition({family}) ==
             "# HELP fwhub_things_total Things seen.\n"
             "# TYPE fwhub_things_total counter\n"
             "fwhub_things_total{kind=\"a\",status=\"200\"} 3\n"
             "fwhub_things_total 0.5\n");
}

BOOST_AUTO_TEST_CASE(empty_family_keeps_its_help_and_type) {
  BOOST_TEST(fwhub::render_exposition({{"fwhub_jobs", "gauge", "Jobs.", {}}}) ==
             "# HELP fwhub_jobs Jobs.\n# TYPE fwhub_jobs gauge\n");
}

BOOST_AUTO_TEST_CASE(label_values_and_help_are_escaped) {
  BOOST_TEST(fwhub::escape_label_value("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
  MetricFamily family{"fwhub_x", "gauge", "Line one\nback\\slash", {}};
  family.samples.push_back({"", {{"scheduler", "host\"1\n"}}, 1});
  BOOST_TEST(fwhub::render_exposition({family}) ==
             "# HELP fwhub_x Line one\\nback\\\\slash\n"
             "# TYPE fwhub_x gauge\n"
             "fwhub_x{scheduler=\"host\\\"1\\n\"} 1\n");
}

BOOST_AUTO_TEST_CASE(histogram_buckets_are_cumulative_up_to_inf) {
  MetricFamily family{"fwhub_d_seconds", "histogram", "Durations.", {}};
  fwhub::add_histogram(family, {{"route", "/r"}}, {0.1, 1}, {2, 0, 3}, 7.25);
  BOOST_TEST(fwhub::render_exposition({family}) ==
             "# HELP fwhub_d_seconds Durations.\n"
             "# TYPE fwhub_d_seconds histogram\n"
             "fwhub_d_seconds_bucket{route=\"/r\",le=\"0.1\"} 2\n"
             "fwhub_d_seconds_bucket{route=\"/r\",le=\"1\"} 2\n"
             "fwhub_d_seconds_bucket{route=\"/r\",le=\"+Inf\"} 5\n"
             "fwhub_d_seconds_sum{route=\"/r\"} 7.25\n"
             "fwhub_d_seconds_count{route=\"/r\"} 5\n");
}

BOOST_AUTO_TEST_CASE(large_counts_stay_exact) {
  MetricFamily family{"fwhub_n_total", "counter", "N.", {}};
  family.samples.push_back({"", {}, 123456789012.0});
  BOOST_TEST(fwhub::render_exposition({family}).find("fwhub_n_total 123456789012\n") != std::string::npos);
}
