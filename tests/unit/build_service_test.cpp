// Build submission: upstream's checks in order with their texts, unknown packages, profile
// mapping, deduplication by hash and the queue limit.
#define BOOST_TEST_MODULE build_service
#include <boost/test/unit_test.hpp>

#include <map>

#include "fwhub/common/status.hpp"
#include "fwhub/service/build_service.hpp"
#include "support/fake_build_store.hpp"
#include "support/fake_catalog.hpp"
#include "support/manual_clock.hpp"

using namespace fwhub;
using namespace fwhub::domain::build;

using fwhub::testing::ManualClock;

namespace {

struct Fixture {
  testing::FakeCatalog catalog;
  testing::FakeBuildStore store;
  Config config;

  Fixture() {
    config.catalog.branches = {{"23.05", true, false, 23069, "", {}}};
    catalog.codes[{"23.05.4", "ath79/generic"}] = "r24012-d8dd03c46f";
    catalog.codes[{"23.05.4", "x86/64"}] = "r24012-d8dd03c46f";
    catalog.boards[{"23.05.4", "ath79/generic|tplink_archer-c7-v5"}] = "tplink_archer-c7-v5";
    catalog.generic_targets.insert("23.05.4 x86/64");
    catalog.packages = {"luci", "tcpdump"};
  }

  // The base request with some fields replaced or added (JSON values).
  static BuildRequest request(const std::map<std::string, std::string>& fields = {}) {
    std::map<std::string, std::string> all = {
        {"version", R"("23.05.4")"}, {"target", R"("ath79/generic")"}, {"profile", R"("tplink,archer-c7-v5")"}};
    for (const auto& [key, value] : fields) {
      all[key] = value;
    }
    std::string body;
    for (const auto& [key, value] : all) {
      body += (body.empty() ? "{\"" : ",\"") + key + "\":" + value;
    }
    return parse_build_request(body + "}", {}).request.value();
  }

  std::string error_of(const BuildRequest& r) {
    try {
      service::BuildService(catalog, store, config).submit(r);
    } catch (const Error& error) {
      return std::to_string(static_cast<int>(error.code())) + " " + error.what();
    }
    return "";
  }

  static std::string bad(const std::string& text) {
    return std::to_string(static_cast<int>(Code::kInvalidArgument)) + " " + text;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(checks_run_in_upstreams_order, Fixture) {
  auto r = request(
      {{"defaults", R"("echo hi")"}, {"distro", R"("lede")"}, {"repositories", R"({"x":"https://evil.example/r"})"}});
  BOOST_TEST(error_of(r) == bad("Handling `defaults` not enabled on server"));
  config.build.allow_defaults = true;
  BOOST_TEST(error_of(r) == bad("Repository not allowed: https://evil.example/r"));
  config.build.repository_allow_list = {"https://evil.example/"};
  BOOST_TEST(error_of(r) == bad("Unsupported distro: lede"));
  BOOST_TEST(error_of(request({{"version", R"("18.06.9")"}})) == bad("Unsupported branch: 18.06.9"));
  BOOST_TEST(error_of(request({{"version", R"("23.05.9")"}})) == bad("Unsupported version: 23.05.9"));
  BOOST_TEST(catalog.refreshes == 1);
  BOOST_TEST(error_of(request({{"target", R"("ath79/nand")"}}))
                 .starts_with(bad("Unsupported target: ath79/nand. The requested target was either dropped")));
  BOOST_TEST(
      error_of(request({{"profile", R"("nope")"}}))
          .starts_with(bad("Unsupported profile: nope. The requested profile was either dropped or never existed.")));
}

BOOST_FIXTURE_TEST_CASE(empty_defaults_pass_without_permission, Fixture) {
  BOOST_TEST(error_of(request({{"defaults", R"("")"}})).empty());
}

BOOST_FIXTURE_TEST_CASE(unknown_packages_are_422_listing_them, Fixture) {
  BOOST_TEST(error_of(request({{"packages", R"(["luci","nosuch","-ppp","other"])"}})) ==
             std::to_string(static_cast<int>(Code::kUnprocessable)) + " Unsupported package(s): nosuch, other");
}

BOOST_FIXTURE_TEST_CASE(generic_targets_map_every_profile, Fixture) {
  auto r = request({{"target", R"("x86/64")"}, {"profile", R"("anything")"}});
  const auto build = service::BuildService(catalog, store, config).submit(r);
  BOOST_TEST(build.profile == "generic");
}

BOOST_FIXTURE_TEST_CASE(identical_requests_share_one_build, Fixture) {
  service::BuildService service(catalog, store, config);
  const auto first = service.submit(request({{"packages", R"(["luci","tcpdump"])"}}));
  const auto second =
      service.submit(request({{"packages", R"(["tcpdump","luci"])"}, {"profile", R"("tplink_archer-c7-v5")"}}));
  BOOST_TEST(first.request_hash == second.request_hash);
  BOOST_TEST(store.builds.size() == 1U);
  BOOST_TEST(store.events[BuildEvent::kRequest] == 2);
  BOOST_TEST(store.events[BuildEvent::kCacheMiss] == 1);
  BOOST_TEST(store.events[BuildEvent::kCacheHit] == 1);
  BOOST_TEST(first.profile == "tplink_archer-c7-v5");
}

BOOST_FIXTURE_TEST_CASE(full_queue_is_refused_for_new_builds_only, Fixture) {
  config.build.max_pending_jobs = 1;
  service::BuildService service(catalog, store, config);
  service.submit(request());
  BOOST_TEST(error_of(request({{"packages", R"(["luci"])"}})) ==
             std::to_string(static_cast<int>(Code::kResourceExhausted)) +
                 " server overload, queue contains too many build requests: 1");
  BOOST_TEST(error_of(request()).empty());  // a known build is still answered
}

BOOST_AUTO_TEST_CASE(repository_allow_list_matches_scheme_host_and_path) {
  const std::vector<std::string> allowed = {"https://downloads.example.org/feeds"};
  BOOST_TEST(service::repository_allowed("https://downloads.example.org/feeds/x", allowed));
  BOOST_TEST(service::repository_allowed("https://downloads.example.org/feeds", allowed));
  BOOST_TEST(!service::repository_allowed("https://downloads.example.org/feedsx", allowed));
  BOOST_TEST(!service::repository_allowed("http://downloads.example.org/feeds/x", allowed));
  BOOST_TEST(!service::repository_allowed("https://downloads.example.org.evil.com/feeds/x", allowed));
  BOOST_TEST(!service::repository_allowed("https://user@downloads.example.org/feeds/x", allowed));
  BOOST_TEST(!service::repository_allowed("https://downloads.example.org/feeds/../x", allowed));
  BOOST_TEST(!service::repository_allowed("https://downloads.example.org/feeds/x", {}));
}

BOOST_FIXTURE_TEST_CASE(finished_builds_are_answered_from_the_cache_until_they_expire, Fixture) {
  ManualClock clock;
  service::DoneBuildCache cache(clock, 10);
  service::BuildService builds(catalog, store, config, &cache);
  const auto queued = builds.submit(request({{"packages", R"(["luci"])"}}));
  BOOST_TEST((queued.status == BuildStatus::kQueued));
  // Not cached while queued: a second POST reads the store.
  BOOST_TEST((builds.submit(request({{"packages", R"(["luci"])"}})).status == BuildStatus::kQueued));
  auto& stored = store.builds.at(queued.request_hash);
  stored.status = BuildStatus::kDone;
  stored.seconds_left = 60;
  BOOST_TEST((builds.submit(request({{"packages", R"(["luci"])"}})).status == BuildStatus::kDone));
  // From now on the catalog and the store are not asked: the version may even vanish.
  catalog.codes.clear();
  store.builds.clear();
  const int hits = store.events[BuildEvent::kCacheHit];
  const auto cached = builds.submit(request({{"packages", R"(["luci"])"}}));
  BOOST_TEST((cached.status == BuildStatus::kDone));
  BOOST_TEST(cached.request_hash == queued.request_hash);
  BOOST_TEST(store.events[BuildEvent::kCacheHit] == hits + 1);
  // Once the build has expired, the request goes through every check again.
  clock.advance(std::chrono::seconds(61));
  BOOST_TEST(error_of(request({{"packages", R"(["luci"])"}})).find("Unsupported version") != std::string::npos);
  BOOST_CHECK_THROW(builds.submit(request({{"packages", R"(["luci"])"}})), Error);
}
