// The pool survives its dependencies: health 503 while MariaDB is down and 200 again once it is
// back (no restart), and a killed worker is replaced while requests keep being answered.
#define BOOST_TEST_MODULE api_resilience
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "support/stack_client.hpp"

using namespace std::chrono_literals;
using fwhub::testing::Stack;

namespace {

int health_status(const Stack& stack) {
  auto client = stack.client();
  const auto result = client.Get("/api/v1/health");
  return result ? result->status : 0;
}

}  // namespace

BOOST_AUTO_TEST_CASE(health_follows_the_database) {
  const Stack stack;
  BOOST_REQUIRE(health_status(stack) == 200);
  BOOST_REQUIRE(stack.control("db-stop") == 0);
  // A probe result is reused for api.health_check_interval_ms (250 ms): wait for the first 503.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (health_status(stack) != 503 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  // Other workers may still hold a fresh 200 probe: once the interval has passed, every thread of
  // every worker answers 503. Ask more often than there are threads.
  std::this_thread::sleep_for(300ms);
  for (int i = 0; i < 40; ++i) {
    auto client = stack.client();
    const auto result = client.Get("/api/v1/health");
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == 503);
    BOOST_TEST(result->body.find("database unavailable") != std::string::npos);
  }
  BOOST_REQUIRE(stack.control("db-start") == 0);
  std::this_thread::sleep_for(300ms);  // past the probe cache interval
  for (int i = 0; i < 40; ++i) {
    BOOST_TEST(health_status(stack) == 200);
  }
  // Every API thread still holds the connection that died with the restart: requests that need
  // the database, enough at once to occupy every thread, must not fail on it (regression: one
  // thread answered 503 "Lost connection to server during query").
  std::vector<std::thread> clients;
  std::atomic<int> not_found{0};
  std::atomic<int> other{0};
  clients.reserve(64);
  for (int i = 0; i < 64; ++i) {
    clients.emplace_back([&] {
      auto client = stack.client();
      const auto result = client.Get("/api/v1/build/" + std::string(64, 'c'));
      (result && result->status == 404 ? not_found : other)++;
    });
  }
  for (auto& client : clients) {
    client.join();
  }
  BOOST_TEST(not_found.load() == 64);
  BOOST_TEST(other.load() == 0);
}

BOOST_AUTO_TEST_CASE(killed_worker_is_replaced_while_requests_are_answered) {
  const Stack stack;
  const int supervisor = stack.pid_of("api");
  BOOST_REQUIRE(supervisor > 0);
  const std::vector<int> before = Stack::children(supervisor);
  BOOST_REQUIRE(before.size() >= 2U);

  std::atomic<bool> done{false};
  std::atomic<int> answered{0};
  std::atomic<int> failed{0};
  std::thread load([&] {
    while (!done) {
      (health_status(stack) == 200 ? answered : failed)++;
    }
  });
  std::this_thread::sleep_for(300ms);
  ::kill(before.front(), SIGKILL);

  std::vector<int> after;
  for (int i = 0; i < 100; ++i) {
    after = Stack::children(supervisor);
    if (after.size() == before.size() && std::find(after.begin(), after.end(), before.front()) == after.end()) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  const int failed_during_kill = failed.load();
  const int answered_before = answered.load();
  std::this_thread::sleep_for(500ms);
  done = true;
  load.join();

  BOOST_TEST(after.size() == before.size());
  BOOST_TEST((std::find(after.begin(), after.end(), before.front()) == after.end()));
  BOOST_TEST(answered.load() > answered_before, "requests kept being answered after the replacement");
  // Only a request in flight inside the killed worker may be lost (answered 503 by nginx).
  BOOST_TEST(failed_during_kill <= 1);
  BOOST_TEST(failed.load() == failed_during_kill, "no failures once the worker was replaced");
  for (int i = 0; i < 20; ++i) {
    BOOST_TEST(health_status(stack) == 200);
  }
}
