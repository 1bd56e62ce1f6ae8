// The API pool's request counters: by route template and status, unmatched requests by method,
// latency buckets, and counts made in forked processes (the API's workers) seen by the parent.
#define BOOST_TEST_MODULE request_metrics
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "fwhub/api/request_metrics.hpp"

using namespace std::chrono_literals;
using fwhub::api::RequestMetrics;

namespace {

fwhub::api::Router sample() {
  fwhub::api::Router router;
  const auto handler = [](const fwhub::api::Request&, fwhub::api::Context&) { return fwhub::api::Response(); };
  router.add("GET", "/api/v1/health", handler).add("GET", "/api/v1/build/{hash}", handler);
  return router;
}

std::string text(const RequestMetrics& metrics) {
  return fwhub::render_exposition(metrics.families());
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(requests_count_by_route_template_and_status) {
  const auto router = sample();
  RequestMetrics metrics(router);
  metrics.record(1, "GET", 200, 2ms);
  metrics.record(1, "GET", 200, 30ms);
  metrics.record(1, "GET", 404, 3ms);
  metrics.record(0, "HEAD", 200, 1ms);
  const std::string out = text(metrics);
  BOOST_TEST(has_line(out, R"(fwhub_http_requests_total{route="/api/v1/build/{hash}",method="GET",status="200"} 2)"));
  BOOST_TEST(has_line(out, R"(fwhub_http_requests_total{route="/api/v1/build/{hash}",method="GET",status="404"} 1)"));
  // HEAD is answered by the GET route and counted with it.
  BOOST_TEST(has_line(out, R"(fwhub_http_requests_total{route="/api/v1/health",method="GET",status="200"} 1)"));
  BOOST_TEST(has_line(
      out, R"(fwhub_http_request_duration_seconds_bucket{route="/api/v1/build/{hash}",method="GET",le="0.005"} 2)"));
  BOOST_TEST(has_line(
      out, R"(fwhub_http_request_duration_seconds_bucket{route="/api/v1/build/{hash}",method="GET",le="0.025"} 2)"));
  BOOST_TEST(has_line(
      out, R"(fwhub_http_request_duration_seconds_bucket{route="/api/v1/build/{hash}",method="GET",le="0.05"} 3)"));
  BOOST_TEST(has_line(
      out, R"(fwhub_http_request_duration_seconds_bucket{route="/api/v1/build/{hash}",method="GET",le="+Inf"} 3)"));
  BOOST_TEST(
      has_line(out, R"(fwhub_http_request_duration_seconds_sum{route="/api/v1/build/{hash}",method="GET"} 0.035)"));
  BOOST_TEST(
      has_line(out, R"(fwhub_http_request_duration_seconds_count{route="/api/v1/build/{hash}",method="GET"} 3)"));
}

BOOST_AUTO_TEST_CASE(unmatched_requests_count_by_known_method_only) {
  const auto router = sample();
  RequestMetrics metrics(router);
  metrics.record(std::nullopt, "DELETE", 405, 1ms);
  metrics.record(std::nullopt, "BREW", 404, 1ms);
  metrics.record(std::nullopt, "PROPFIND", 404, 1ms);
  metrics.record(99, "GET", 404, 1ms);  // an index outside the table is unmatched too
  const std::string out = text(metrics);
  BOOST_TEST(has_line(out, R"(fwhub_http_requests_total{route="unmatched",method="DELETE",status="405"} 1)"));
  BOOST_TEST(has_line(out, R"(fwhub_http_requests_total{route="unmatched",method="other",status="404"} 2)"));
  BOOST_TEST(has_line(out, R"(fwhub_http_requests_total{route="unmatched",method="GET",status="404"} 1)"));
  BOOST_TEST(out.find("BREW") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(unused_series_are_left_out) {
  const auto router = sample();
  const RequestMetrics metrics(router);
  BOOST_TEST(text(metrics) ==
             "# HELP fwhub_http_requests_total HTTP requests answered by the API pool, by route template, method and "
             "status code.\n# TYPE fwhub_http_requests_total counter\n"
             "# HELP fwhub_http_request_duration_seconds Time from a request's parameters read to its response "
             "written, by route and method.\n# TYPE fwhub_http_request_duration_seconds histogram\n");
}

BOOST_AUTO_TEST_CASE(counts_of_forked_workers_are_shared) {
  const auto router = sample();
  RequestMetrics metrics(router);
  std::vector<pid_t> children;
  for (int worker = 0; worker < 3; ++worker) {
    const pid_t pid = ::fork();
    BOOST_REQUIRE(pid >= 0);
    if (pid == 0) {
      for (int i = 0; i < 1000; ++i) {
        metrics.record(0, "GET", 200, 1ms);
      }
      ::_exit(0);
    }
    children.push_back(pid);
  }
  for (const pid_t pid : children) {
    int status = 0;
    BOOST_REQUIRE(::waitpid(pid, &status, 0) == pid);
    BOOST_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  BOOST_TEST(
      has_line(text(metrics), R"(fwhub_http_requests_total{route="/api/v1/health",method="GET",status="200"} 3000)"));
}
