// /api/v1/metrics through nginx: request counters of the whole worker pool rise by exactly what
// was sent, the exposition is well formed, the database figures agree with the API's own lists,
// schedulers report their counters, and other addresses than loopback are refused.
#define BOOST_TEST_MODULE metrics
#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "support/fleet_calls.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::Stack;

namespace {

struct Scrape {
  std::map<std::string, double> samples;  // "name{labels}" -> value
  std::string text;
};

Scrape scrape() {
  const auto result = Stack().client().Get("/api/v1/metrics");
  BOOST_REQUIRE(result);
  BOOST_REQUIRE_EQUAL(result->status, 200);
  BOOST_TEST(result->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  Scrape out{{}, result->body};
  std::istringstream lines(result->body);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const auto space = line.rfind(' ');
    BOOST_REQUIRE_MESSAGE(space != std::string::npos, "sample without a value: " << line);
    out.samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

double value(const Scrape& scrape, const std::string& series) {
  const auto it = scrape.samples.find(series);
  return it == scrape.samples.end() ? 0 : it->second;
}

// Sum of the samples of family `name` whose labels contain `match`.
double sum(const Scrape& scrape, const std::string& name, const std::string& match = "") {
  double total = 0;
  for (const auto& [series, v] : scrape.samples) {
    if ((series == name || series.starts_with(name + "{")) && series.find(match) != std::string::npos) {
      total += v;
    }
  }
  return total;
}

std::string requests(const std::string& route, const std::string& status) {
  return R"(fwhub_http_requests_total{route=")" + route + R"(",method="GET",status=")" + status + "\"}";
}

}  // namespace

BOOST_AUTO_TEST_CASE(request_counters_of_all_workers_rise_by_what_was_sent) {
  const Stack stack;
  BOOST_REQUIRE_GE(Stack::children(stack.pid_of("api")).size(), 2U);
  const Scrape before = scrape();
  // Health answers with the worker's pid: requests go out in parallel until two workers answered.
  std::set<long> workers;
  int health = 0;
  std::mutex mutex;
  while (workers.size() < 2 && health < 4000) {
    std::vector<std::thread> threads;
    threads.reserve(8);
    for (int t = 0; t < 8; ++t) {
      threads.emplace_back([&] {
        auto client = Stack().client();
        for (int i = 0; i < 25; ++i) {
          const auto result = client.Get("/api/v1/health");
          BOOST_REQUIRE(result && result->status == 200);
          const auto body = fwhub::testing::json(result->body);
          const std::lock_guard lock(mutex);
          workers.insert(body["pid"].GetInt64());
          ++health;
        }
      });
    }
    for (auto& thread : threads) {
      thread.join();
    }
  }
  BOOST_REQUIRE_GE(workers.size(), 2U);
  BOOST_TEST_MESSAGE(health << " health requests answered by " << workers.size() << " workers");
  auto client = stack.client();
  for (int i = 0; i < 7; ++i) {
    const auto result = client.Get("/api/v1/no/such/thing");
    BOOST_REQUIRE(result && result->status == 404);
  }
  for (int i = 0; i < 5; ++i) {
    const auto result = client.Get("/api/v1/build/" + std::string(64, '0'));
    BOOST_REQUIRE(result && result->status == 404);
  }
  const Scrape after = scrape();
  const std::string health_route = R"(route="/api/v1/health",method="GET")";
  BOOST_TEST(value(after, requests("/api/v1/health", "200")) - value(before, requests("/api/v1/health", "200")) ==
             health);
  BOOST_TEST(value(after, requests("unmatched", "404")) - value(before, requests("unmatched", "404")) == 7);
  BOOST_TEST(value(after, requests("/api/v1/build/{request_hash}", "404")) -
                 value(before, requests("/api/v1/build/{request_hash}", "404")) ==
             5);
  // The first scrape is counted (once it was answered); a scrape does not count itself.
  BOOST_TEST(value(after, requests("/api/v1/metrics", "200")) - value(before, requests("/api/v1/metrics", "200")) == 1);
  const std::string count = "fwhub_http_request_duration_seconds_count{" + health_route + "}";
  BOOST_TEST(value(after, count) - value(before, count) == health);
  BOOST_TEST(value(after, "fwhub_http_request_duration_seconds_bucket{" + health_route + R"(,le="+Inf"})") ==
             value(after, count));
  BOOST_TEST(value(after, "fwhub_http_request_duration_seconds_sum{" + health_route + "}") > 0);
  // Whichever worker takes a scrape answers the same pool-wide counts.
  for (int i = 0; i < 6; ++i) {
    BOOST_TEST(value(scrape(), requests("/api/v1/health", "200")) == value(after, requests("/api/v1/health", "200")));
  }
}

BOOST_AUTO_TEST_CASE(exposition_has_help_and_type_for_every_family) {
  const Scrape metrics = scrape();
  std::set<std::string> typed;
  std::istringstream lines(metrics.text);
  std::string line;
  std::string help;
  while (std::getline(lines, line)) {
    if (line.starts_with("# HELP ")) {
      help = line.substr(7, line.find(' ', 7) - 7);
    } else if (line.starts_with("# TYPE ")) {
      const std::string name = line.substr(7, line.find(' ', 7) - 7);
      BOOST_TEST(name == help);
      typed.insert(name);
    } else {
      const std::string series = line.substr(0, line.find_first_of("{ "));
      const bool known = typed.contains(series) || typed.contains(series.substr(0, series.rfind('_')));
      BOOST_TEST(known, "sample of a family without TYPE: " << line);
    }
  }
  for (const char* family :
       {"fwhub_http_requests_total", "fwhub_http_request_duration_seconds", "fwhub_database_up", "fwhub_jobs",
        "fwhub_builds", "fwhub_build_events_today", "fwhub_upgrade_operations", "fwhub_batch_upgrades",
        "fwhub_scheduler_heartbeats_total", "fwhub_scheduler_lease_renewals_total",
        "fwhub_scheduler_jobs_claimed_total", "fwhub_scheduler_jobs_finished_total"}) {
    BOOST_TEST(typed.contains(family), family);
  }
  BOOST_TEST(value(metrics, "fwhub_database_up") == 1);
}

BOOST_AUTO_TEST_CASE(database_figures_agree_with_the_api_lists) {
  const std::string user = "metrics-root-" + std::to_string(::getpid());
  fwhub::testing::admin_line("create-user " + user + " --superuser", "metricspassword");
  const std::string token = fwhub::testing::admin_line("create-token " + user + " metrics");
  auto client = Stack().client();
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  const auto operations = client.Get("/api/v1/firmware-upgrader/upgrade-operation/", auth);
  BOOST_REQUIRE(operations && operations->status == 200);
  const auto per_day = client.Get("/api/v1/builds-per-day");
  BOOST_REQUIRE(per_day && per_day->status == 200);
  // Schedulers report their counters at every heartbeat (a third of the lease); the stack's
  // first catalog sync is claimed before the test starts.
  Scrape metrics = scrape();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (sum(metrics, "fwhub_scheduler_jobs_claimed_total", R"(kind="catalog_sync")") < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::seconds(1));
    metrics = scrape();
  }
  BOOST_TEST(sum(metrics, "fwhub_upgrade_operations") == fwhub::testing::json(operations->body)["count"].GetInt64());
  // Today's column of the build chart is the day's build events.
  const auto chart = fwhub::testing::json(per_day->body);
  for (const auto& dataset : chart["datasets"].GetArray()) {
    const std::string label = fwhub::testing::str(dataset["label"]);
    const std::string event = label == "Requests" ? "request" : label == "Cache-Hits" ? "cache_hit" : "failure";
    const auto& data = dataset["data"].GetArray();
    BOOST_TEST(
        value(metrics, R"(fwhub_build_events_today{event=")" + event + "\"}") == data[data.Size() - 1].GetDouble(),
        label);
  }
  // The periodic catalog sync is queued again after each run.
  BOOST_TEST(value(metrics, R"(fwhub_jobs{kind="catalog_sync",state="queued"})") +
                 value(metrics, R"(fwhub_jobs{kind="catalog_sync",state="running"})") ==
             1);
  BOOST_TEST(sum(metrics, "fwhub_scheduler_jobs_claimed_total", R"(kind="catalog_sync")") >= 1);
  BOOST_TEST(sum(metrics, "fwhub_scheduler_heartbeats_total") >= 1);
  BOOST_TEST(sum(metrics, "fwhub_scheduler_jobs_claimed_total") >= sum(metrics, "fwhub_scheduler_jobs_finished_total"));
}

BOOST_AUTO_TEST_CASE(other_addresses_than_loopback_are_refused) {
  const char* url = std::getenv("FWHUB_TEST_URL");
  BOOST_REQUIRE(url != nullptr);
  const std::string base = url;
  // 127.0.0.2 is not in the site's allow list: nginx refuses before the API sees the request.
  const auto [status, body] =
      Stack::run("curl -s --interface 127.0.0.2 -w '\\n%{http_code}' " + base + "/api/v1/metrics");
  BOOST_REQUIRE_EQUAL(status, 0);
  BOOST_TEST(body.ends_with("\n403"), body);
  BOOST_TEST(body.find(R"("status":403)") != std::string::npos, body);
  const auto [health_status, health] =
      Stack::run("curl -s --interface 127.0.0.2 -o /dev/null -w '%{http_code}' " + base + "/api/v1/health");
  BOOST_REQUIRE_EQUAL(health_status, 0);
  BOOST_TEST(health == "200");
}
