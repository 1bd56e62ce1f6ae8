// Builds through the real stack: nginx -> fwhub-api -> MariaDB -> fwhub-scheduler -> the test
// ImageBuilder from the local mirror -> the store served by nginx. Covers the spec's checks and
// texts, deduplication, a scheduler killed mid-build, the build timeout and tampered builders.
#define BOOST_TEST_MODULE builds
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "fwhub/common/sha256.hpp"
#include "support/stack_client.hpp"

using namespace std::chrono_literals;
using fwhub::testing::Stack;
namespace fs = std::filesystem;

namespace {

struct Answer {
  int status = 0;
  std::string body;
  httplib::Headers headers;
  rapidjson::Document json;
};

Answer post_build(const std::string& body) {
  auto client = Stack().client();
  const auto result = client.Post("/api/v1/build", body, "application/json");
  BOOST_REQUIRE_MESSAGE(result, "no answer to POST " << body);
  Answer answer{result->status, result->body, result->headers, {}};
  answer.json.Parse(result->body.c_str());
  BOOST_REQUIRE_MESSAGE(!answer.json.HasParseError() && answer.json.IsObject(), "not a JSON object: " << result->body);
  return answer;
}

Answer get_build(const std::string& hash) {
  auto client = Stack().client();
  const auto result = client.Get("/api/v1/build/" + hash);
  BOOST_REQUIRE(result);
  Answer answer{result->status, result->body, result->headers, {}};
  answer.json.Parse(result->body.c_str());
  BOOST_REQUIRE_MESSAGE(!answer.json.HasParseError(), "not JSON: " << result->body);
  return answer;
}

// Polls until the build leaves 202; returns the last answer.
Answer wait_build(const std::string& hash, std::chrono::seconds limit = 60s) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    Answer answer = get_build(hash);
    if (answer.status != 202 || std::chrono::steady_clock::now() > deadline) {
      return answer;
    }
    std::this_thread::sleep_for(100ms);
  }
}

std::string request(const std::string& packages, const std::string& extra = "") {
  return R"({"version":"23.05.4","target":"ath79/generic","profile":"tplink,archer-c7-v5","packages":[)" + packages +
         "]" + extra + "}";
}

// A request no other test (or earlier run) made: a random rootfs size.
std::string unique_request(const std::string& packages) {
  static std::mt19937 random(std::random_device{}());
  return request(packages, R"(,"rootfs_size_mb":)" + std::to_string(100 + random() % 900));
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string sql(const Stack& stack, const std::string& query) {
  const auto [status, output] = stack.sql(query);
  BOOST_REQUIRE_MESSAGE(status == 0, output);
  return output;
}

std::string header(const Answer& answer, const std::string& name) {
  const auto it = answer.headers.find(name);
  return it == answer.headers.end() ? "" : it->second;
}

std::string detail(const Answer& answer) {
  return answer.json.HasMember("detail") && answer.json["detail"].IsString() ? answer.json["detail"].GetString() : "";
}

// Replaces a file of the mirror for the scope of the object.
class MirrorPatch {
 public:
  MirrorPatch(const fs::path& path, const std::string& content) : path_(path), saved_(read_file(path)) {
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << content;
  }
  MirrorPatch(const MirrorPatch&) = delete;
  MirrorPatch& operator=(const MirrorPatch&) = delete;
  ~MirrorPatch() { std::ofstream(path_, std::ios::binary | std::ios::trunc) << saved_; }
  [[nodiscard]] const std::string& saved() const { return saved_; }

 private:
  fs::path path_;
  std::string saved_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(build_with_added_and_removed_packages_serves_true_images) {
  const Stack stack;
  const Answer queued = post_build(request(R"("luci","-dnsmasq","dnsmasq-full","+tcpdump")"));
  BOOST_TEST((queued.status == 202 || queued.status == 200));
  const std::string hash = queued.json["request_hash"].GetString();
  const Answer done = wait_build(hash);
  BOOST_REQUIRE_MESSAGE(done.status == 200, done.body);
  BOOST_TEST(detail(done) == "done");
  BOOST_TEST(header(done, "X-Imagebuilder-Status") == "done");
  BOOST_TEST(header(done, "X-Queue-Position") == "0");
  const auto& manifest = done.json["manifest"];
  BOOST_TEST(manifest.HasMember("luci"));
  BOOST_TEST(manifest.HasMember("tcpdump"));
  BOOST_TEST(manifest.HasMember("dnsmasq-full"));
  BOOST_TEST(!manifest.HasMember("dnsmasq"));
  BOOST_TEST(manifest.HasMember("libubus"));  // ABI-versioned name stripped (STRIP_ABI)
  BOOST_TEST(done.json["bin_dir"].GetString() == hash);
  BOOST_TEST(done.json["id"].GetString() == std::string("tplink_archer-c7-v5"));
  BOOST_TEST(done.json["version_code"].GetString() == std::string("r24012-d8dd03c46f"));
  BOOST_TEST(done.json["default_packages"].IsArray());
  BOOST_TEST(done.json["request"]["profile"].GetString() == std::string("tplink_archer-c7-v5"));
  const auto& images = done.json["images"];
  BOOST_REQUIRE(images.IsArray());
  BOOST_TEST(images.Size() == 3U);
  std::set<std::string> expected_files = {"profiles.json"};
  auto client = stack.client();
  for (const auto& image : images.GetArray()) {
    const std::string name = image["name"].GetString();
    expected_files.insert(name);
    const auto file = client.Get("/store/" + hash + "/" + name);
    BOOST_REQUIRE(file);
    BOOST_TEST(file->status == 200);
    BOOST_TEST(fwhub::sha256_hex(file->body) == image["sha256"].GetString(), name);
    BOOST_TEST(file->get_header_value("Content-Disposition").find(name) != std::string::npos);
    BOOST_TEST(file->get_header_value("X-Content-Type-Options") == "nosniff");
    // The image's root file system lists the installed packages (fwtool trailers follow the archive).
    BOOST_TEST(file->body.find("FWx0") != std::string::npos);
  }
  std::set<std::string> stored;
  for (const auto& entry : fs::directory_iterator(stack.state() + "/lib/store/" + hash)) {
    if (!entry.path().filename().string().ends_with(".manifest")) {
      stored.insert(entry.path().filename().string());
    }
  }
  BOOST_TEST(stored == expected_files);

  // A repeated POST is answered from the finished build.
  const Answer again = post_build(request(R"("luci","-dnsmasq","dnsmasq-full","+tcpdump")"));
  BOOST_TEST(again.status == 200);
  BOOST_TEST(again.json["request_hash"].GetString() == hash);
}

BOOST_AUTO_TEST_CASE(package_order_does_not_change_the_hash) {
  const Answer first = post_build(request(R"("tcpdump","luci","htop")"));
  const Answer second = post_build(request(R"("htop","tcpdump","luci","luci")"));
  BOOST_TEST(first.json["request_hash"].GetString() == std::string(second.json["request_hash"].GetString()));
  const Answer other = post_build(request(R"("htop","tcpdump")"));
  BOOST_TEST(first.json["request_hash"].GetString() != std::string(other.json["request_hash"].GetString()));
}

BOOST_AUTO_TEST_CASE(every_semantic_check_answers_with_its_status_and_text) {
  struct Case {
    std::string body;
    int status;
    std::string detail;
  };
  const std::string long_defaults(20481, 'x');
  std::string huge_array;
  for (int i = 0; i < 5000; ++i) {
    huge_array += (i == 0 ? "\"p" : ",\"p") + std::to_string(i) + "\"";
  }
  const std::vector<Case> cases = {
      {R"({"distro":"lede","version":"23.05.4","target":"ath79/generic","profile":"x"})", 400,
       "Unsupported distro: lede"},
      {R"({"version":"21.02.7","target":"ath79/generic","profile":"x"})", 400, "Unsupported branch: 21.02.7"},
      {R"({"version":"23.05.9","target":"ath79/generic","profile":"x"})", 400, "Unsupported version: 23.05.9"},
      {R"({"version":"23.05.4","target":"nope/generic","profile":"x"})", 400, "Unsupported target: nope/generic."},
      {R"({"version":"23.05.4","target":"ath79/generic","profile":"no_such_router"})", 400,
       "Unsupported profile: no_such_router."},
      {request(R"("luci","no-such-package","other-missing")"), 422,
       "Unsupported package(s): no-such-package, other-missing"},
      {request("", R"(,"defaults":")" + long_defaults + "\"}"), 422, ""},
      {request("", R"(,"rootfs_size_mb":0)"), 422, ""},
      {request("", R"(,"rootfs_size_mb":1025)"), 422, ""},
      {request("", R"(,"filesystem":"ntfs")"), 422, ""},
      {request("", R"(,"repositories":{"evil":"https://evil.example.com/feed"})"), 400,
       "Repository not allowed: https://evil.example.com/feed"},
      {R"({"target":"ath79/generic","profile":"x"})", 422, ""},
      {R"({"version":"23.05.4","target":"ath79","profile":"x"})", 422, ""},
      {"not json", 422, ""},
      {request(huge_array), 422, ""},
      {"", 422, ""},
      {R"({"version":"23.05.4","target":"ath79/generic","profile":"x","packages":"luci"})", 422, ""},
      {"[" + std::string(5000, '[') + std::string(5001, ']'), 422, ""},
      {"{\"version\":\"23.05.4\xff\",\"target\":\"ath79/generic\",\"profile\":\"x\"}", 422, ""},
  };
  for (const auto& item : cases) {
    const Answer answer = post_build(item.body);
    const std::string shown = item.body.substr(0, 120);
    BOOST_TEST(answer.status == item.status, shown << " -> " << answer.body.substr(0, 300));
    BOOST_TEST(answer.json["status"].GetInt() == item.status, shown);
    BOOST_TEST(detail(answer).find(item.detail) == 0U, shown << " -> " << answer.body.substr(0, 300));
  }
  // A board name (supported_devices entry) and the generic profile mapping are accepted.
  BOOST_TEST(post_build(R"({"version":"23.05.4","target":"ath79/generic","profile":"archer-c7-v5"})").status / 100 ==
             2);
  BOOST_TEST(post_build(R"({"version":"23.05.4","target":"x86/64","profile":"any_board"})").status / 100 == 2);
  // A 10 MB body is refused by nginx with a JSON 413.
  const Answer huge =
      post_build(request("", R"(,"defaults":")" + std::string(std::size_t{10} * 1024 * 1024, 'x') + "\"}"));
  BOOST_TEST(huge.status == 413);
}

BOOST_AUTO_TEST_CASE(failures_inside_the_build_carry_the_spec_texts) {
  struct Case {
    std::string body;
    std::string detail;
  };
  const std::vector<Case> cases = {
      {request(R"("huge-data-package")", R"(,"rootfs_size_mb":)" + std::to_string(2 + std::random_device{}() % 28)),
       "Error: Selected packages exceed device storage"},
      {unique_request(R"("dnsmasq-full")"), "Error: Impossible package selection: conflicts (dnsmasq-full, dnsmasq)"},
      {request("", R"(,"version_code":"r1-0000000000")"),
       "Error: Received incorrect version r24012-d8dd03c46f (requested r1-0000000000)"},
      {R"({"version":"23.05.4","target":"ath79/generic","profile":"tplink,archer-c7-v5",)"
       R"("packages_versions":{"tcpdump":"0.0.1-1"}})",
       "Error: Impossible package selection: tcpdump version not as requested: 0.0.1-1 vs. "},
  };
  for (const auto& item : cases) {
    const Answer queued = post_build(item.body);
    const Answer failed = wait_build(queued.json["request_hash"].GetString());
    BOOST_TEST(failed.status == 500, item.body << " -> " << failed.body.substr(0, 300));
    BOOST_TEST(header(failed, "X-Imagebuilder-Status") == "failed");
    BOOST_TEST(detail(failed).find(item.detail) == 0U, item.body << " -> " << failed.body.substr(0, 300));
    BOOST_TEST(failed.json.HasMember("stderr"));
    // A failed build is reported as failed on a new POST too, without building again.
    BOOST_TEST(post_build(item.body).status == 500);
    // Failures are not cached by nginx: each poll reaches the API.
    const Answer again = get_build(queued.json["request_hash"].GetString());
    BOOST_TEST(header(again, "X-Request-Id") != header(failed, "X-Request-Id"));
  }
}

BOOST_AUTO_TEST_CASE(head_get_and_wrong_methods) {
  const Stack stack;
  const Answer queued = post_build(request(R"("htop")"));
  const std::string hash = queued.json["request_hash"].GetString();
  BOOST_REQUIRE(wait_build(hash).status == 200);
  auto client = stack.client();
  const auto head = client.Head("/api/v1/build/" + hash);
  BOOST_REQUIRE(head);
  BOOST_TEST(head->status == 200);
  BOOST_TEST(head->body.empty());
  BOOST_TEST(head->get_header_value("X-Imagebuilder-Status") == "done");
  BOOST_TEST(head->get_header_value("Content-Type") == "application/json");

  // A finished build is answered by nginx's cache: the API's request id of the first answer repeats.
  const auto first = client.Get("/api/v1/build/" + hash);
  const auto second = client.Get("/api/v1/build/" + hash);
  BOOST_REQUIRE(first && second);
  BOOST_TEST(first->get_header_value("X-Request-Id") == second->get_header_value("X-Request-Id"));
  BOOST_TEST(first->body == second->body);
  BOOST_TEST(second->get_header_value("X-Imagebuilder-Status") == "done");
  BOOST_TEST(second->get_header_value("Access-Control-Allow-Origin") == "*");

  const std::string unknown(64, 'a');
  const Answer missing = get_build(unknown);
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(detail(missing) == "could not find provided request hash");
  const auto head_missing = client.Head("/api/v1/build/" + unknown);
  BOOST_REQUIRE(head_missing);
  BOOST_TEST(head_missing->status == 404);
  const auto post_here = client.Post("/api/v1/build/" + hash, "{}", "application/json");
  BOOST_REQUIRE(post_here);
  BOOST_TEST(post_here->status == 405);
  BOOST_TEST(post_here->body.find("\"status\":405") != std::string::npos);
  const auto put = client.Put("/api/v1/build", "{}", "application/json");
  BOOST_REQUIRE(put);
  BOOST_TEST(put->status == 405);
}

BOOST_AUTO_TEST_CASE(store_refuses_traversal_and_unknown_files) {
  const Stack stack;
  auto client = stack.client();
  const std::string hash(64, 'b');
  for (const std::string& path : std::vector<std::string>{
           "/store/" + hash + "/../../fwhub.toml", "/store/" + hash + "/%2e%2e/%2e%2e/fwhub.toml",
           "/store/../secrets/db_password", "/store/%2e%2e/secrets/db_password", "/store/" + hash + "/missing.bin",
           "/store/not-a-hash/x.bin", "/store/" + hash + "/..%2f..%2ffwhub.toml", "/store/"}) {
    const auto result = client.Get(path);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->status == 404, path);
    BOOST_TEST(result->body.find("db_password") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(fifty_identical_posts_make_one_build) {
  const Stack stack;
  const std::string body = unique_request(R"("nano")");
  std::vector<std::thread> threads;
  std::vector<std::string> hashes(50);
  std::vector<int> statuses(50);
  std::vector<std::string> bodies(50);
  threads.reserve(50);
  for (std::size_t i = 0; i < 50; ++i) {
    threads.emplace_back([&, i] {
      auto client = stack.client();
      const auto result = client.Post("/api/v1/build", body, "application/json");
      if (result) {
        statuses[i] = result->status;
        bodies[i] = result->body.substr(0, 200);
        rapidjson::Document document;
        document.Parse(result->body.c_str());
        if (document.IsObject() && document.HasMember("request_hash")) {
          hashes[i] = document["request_hash"].GetString();
        }
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  const std::set<std::string> distinct(hashes.begin(), hashes.end());
  std::string seen;
  for (std::size_t i = 0; i < 50; ++i) {
    seen += std::to_string(statuses[i]) + (hashes[i].empty() ? " (no hash): " + bodies[i] : "") + "; ";
  }
  BOOST_REQUIRE_MESSAGE(distinct.size() == 1U, seen);
  for (const int status : statuses) {
    BOOST_TEST((status == 200 || status == 202));
  }
  const std::string hash = *distinct.begin();
  BOOST_TEST(sql(stack, "SELECT COUNT(*) FROM jobs WHERE kind='build' AND active_key='build:" + hash + "'") == "1");
  BOOST_TEST(sql(stack, "SELECT COUNT(*) FROM builds WHERE request_hash='" + hash + "'") == "1");
  BOOST_TEST(wait_build(hash).status == 200);
}

BOOST_AUTO_TEST_CASE(a_build_whose_scheduler_is_killed_is_finished_by_the_next_one) {
  const Stack stack;
  const Answer queued = post_build(unique_request(R"("slow-postinst")"));
  const std::string hash = queued.json["request_hash"].GetString();
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  std::string step;
  while (step != "building_image" && std::chrono::steady_clock::now() < deadline) {
    const Answer answer = get_build(hash);
    step = answer.json.HasMember("imagebuilder_status") ? answer.json["imagebuilder_status"].GetString() : "";
    std::this_thread::sleep_for(50ms);
  }
  BOOST_REQUIRE(step == "building_image");
  const int scheduler = stack.pid_of("scheduler");
  BOOST_REQUIRE(scheduler > 0);
  BOOST_REQUIRE(::kill(scheduler, SIGKILL) == 0);
  const auto gone = std::chrono::steady_clock::now() + 10s;
  while (fs::exists("/proc/" + std::to_string(scheduler) + "/cmdline") &&
         !read_file("/proc/" + std::to_string(scheduler) + "/cmdline").empty() &&
         std::chrono::steady_clock::now() < gone) {
    std::this_thread::sleep_for(50ms);  // a zombie has an empty cmdline
  }
  BOOST_TEST(!fs::exists(stack.state() + "/lib/store/" + hash));
  BOOST_REQUIRE(stack.control("scheduler-start") == 0);
  // The lease (10 s in the test stack) runs out, the new scheduler claims the job and builds again.
  const Answer done = wait_build(hash, 90s);
  BOOST_REQUIRE_MESSAGE(done.status == 200, done.body.substr(0, 400));
  std::set<std::string> expected = {"profiles.json"};
  for (const auto& image : done.json["images"].GetArray()) {
    expected.insert(image["name"].GetString());
    BOOST_TEST(fwhub::sha256_hex(read_file(stack.state() + "/lib/store/" + hash + "/" + image["name"].GetString())) ==
               image["sha256"].GetString());
  }
  std::set<std::string> stored;
  for (const auto& entry : fs::directory_iterator(stack.state() + "/lib/store/" + hash)) {
    if (!entry.path().filename().string().ends_with(".manifest")) {
      stored.insert(entry.path().filename().string());
    }
  }
  BOOST_TEST(stored == expected);
}

BOOST_AUTO_TEST_CASE(a_build_past_its_timeout_fails_and_leaves_no_process) {
  const Answer queued = post_build(unique_request(R"("hanging-postinst")"));
  const Answer failed = wait_build(queued.json["request_hash"].GetString(), 60s);
  BOOST_TEST(failed.status == 500, failed.body.substr(0, 300));
  BOOST_TEST(detail(failed) == "Error: build timed out after 15 s");
  std::this_thread::sleep_for(200ms);
  // Processes of this stack's builds (other stacks on the machine may be building too).
  const Stack stack;
  const auto [status, output] = Stack::run(
      "for pid in $(pgrep -f 'imagebuilder[.]py image'); do "
      "readlink /proc/$pid/cwd | grep -F '" +
      stack.state() + "/' && echo \"$pid\"; done; true");
  BOOST_TEST(output.empty(), "left behind: " << output);
}

BOOST_AUTO_TEST_CASE(a_tampered_imagebuilder_is_refused) {
  const Stack stack;
  // Targets no other test builds, so no cached builder hides the tampering.
  const fs::path ramips = stack.state() + "/mirror/releases/23.05.4/targets/ramips/mt7621";
  {
    const MirrorPatch sums(ramips / "sha256sums", read_file(ramips / "sha256sums") + "00 *added-line\n");
    const Answer queued = post_build(
        R"({"version":"23.05.4","target":"ramips/mt7621","profile":"xiaomi_mi-router-4a-gigabit","packages":["nano"]})");
    const Answer failed = wait_build(queued.json["request_hash"].GetString());
    BOOST_TEST(failed.status == 500, failed.body.substr(0, 300));
    BOOST_TEST(detail(failed).find("Error: ImageBuilder refused:") == 0U, failed.body.substr(0, 300));
  }
  const fs::path mvebu = stack.state() + "/mirror/releases/23.05.4/targets/mvebu/cortexa9";
  fs::path archive;
  for (const auto& entry : fs::directory_iterator(mvebu)) {
    if (entry.path().filename().string().starts_with("openwrt-imagebuilder-")) {
      archive = entry.path();
    }
  }
  BOOST_REQUIRE(!archive.empty());
  fs::remove_all(stack.state() + "/lib/builders/23.05.4-mvebu-cortexa9");  // as on a fresh server
  {
    const MirrorPatch tampered(archive, read_file(archive) + "x");
    const Answer queued = post_build(
        R"({"version":"23.05.4","target":"mvebu/cortexa9","profile":"linksys_wrt3200acm","packages":["nano"]})");
    const Answer failed = wait_build(queued.json["request_hash"].GetString());
    BOOST_TEST(failed.status == 500, failed.body.substr(0, 300));
    BOOST_TEST(detail(failed).find("sha256 differs from the signed sha256sums") != std::string::npos,
               failed.body.substr(0, 300));
  }
}

BOOST_AUTO_TEST_CASE(statistics_count_requests_packages_and_errors) {
  const Stack stack;
  auto client = stack.client();
  const auto total = [&](const std::string& label) {
    const auto result = client.Get("/api/v1/builds-per-day");
    BOOST_REQUIRE(result && result->status == 200);
    rapidjson::Document document;
    document.Parse(result->body.c_str());
    BOOST_REQUIRE(document["labels"].Size() == 30U);
    long long sum = 0;
    for (const auto& dataset : document["datasets"].GetArray()) {
      if (dataset["label"].GetString() == label) {
        BOOST_REQUIRE(dataset["data"].Size() == 30U);
        sum = dataset["data"][29].GetInt64();  // today
      }
    }
    return sum;
  };
  const long long requests_before = total("Requests");
  const long long hits_before = total("Cache-Hits");
  const std::string body = unique_request(R"("wol","bash")");
  for (int i = 0; i < 5; ++i) {
    post_build(body);
  }
  // Counts are gathered per API worker and written once a second.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while ((total("Requests") < requests_before + 5 || total("Cache-Hits") < hits_before + 4) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
  BOOST_TEST(total("Requests") >= requests_before + 5);
  BOOST_TEST(total("Cache-Hits") >= hits_before + 4);

  const auto top = client.Get("/api/v1/top-packages?branch=23.05&n=1000");
  BOOST_REQUIRE(top && top->status == 200);
  BOOST_TEST(top->body.find("[\"wol\",") != std::string::npos, top->body.substr(0, 300));
  const auto bad = client.Get("/api/v1/top-packages?branch=23.05&n=0");
  BOOST_REQUIRE(bad);
  BOOST_TEST(bad->status == 400);
  BOOST_TEST(bad->body.find("\"status\":400") != std::string::npos);

  const auto versions = client.Get("/api/v1/builds-by-version");
  BOOST_REQUIRE(versions && versions->status == 200);
  BOOST_TEST(versions->body.find("\"label\":\"23.05.4\"") != std::string::npos);

  const Answer failed = wait_build(post_build(unique_request(R"("dnsmasq-full")")).json["request_hash"].GetString());
  BOOST_REQUIRE(failed.status == 500);
  const auto errors = client.Get("/api/v1/build-errors");
  BOOST_REQUIRE(errors && errors->status == 200);
  BOOST_TEST(errors->get_header_value("Content-Type").starts_with("text/plain"));
  BOOST_TEST(errors->body.find("conflicts (dnsmasq-full, dnsmasq)") != std::string::npos);
  BOOST_TEST(!std::regex_search(errors->body, std::regex("[0-9a-f]{64}")));
}
