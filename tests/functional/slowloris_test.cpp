// Slow clients against the live stack (the security tier's slowloris test): 200 connections from
// 50 client addresses trickle anonymous uploads, signed-in uploads, API bodies and request
// headers at 10 bytes/s while health is probed; refused uploads are answered on their headers
// without their bodies; nginx bounds the uploads of one address, the API those of a worker; and
// FastCGI connections stay usable after answers given before the body.
#define BOOST_TEST_MODULE slowloris
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "fwhub/common/config.hpp"
#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/raw_connection.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::connect_to_stack;
using fwhub::testing::json;
using fwhub::testing::RawResponse;
using fwhub::testing::ResponseReader;
using fwhub::testing::send_all;
using fwhub::testing::Stack;
using fwhub::testing::str;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const std::string kUpgrader = "/api/v1/firmware-upgrader/";

// An organization administrator's token, an operator's (who may not change builds) and a build
// of that organization to upload to.
struct Uploader {
  std::string token;
  std::string operator_token;
  std::string build;
};

Uploader make_uploader() {
  const std::string slug = "slow" + fwhub::random_hex(4);
  admin_line("create-organization " + slug + " " + slug);
  admin_line("create-user " + slug + "-admin --organization " + slug + " --role admin", "slowlorispass");
  admin_line("create-user " + slug + "-op --organization " + slug + " --role operator", "slowlorispass");
  Uploader uploader{admin_line("create-token " + slug + "-admin slowloris"),
                    admin_line("create-token " + slug + "-op slowloris"), ""};
  auto client = Stack().client();
  const httplib::Headers auth = {{"Authorization", "Bearer " + uploader.token}};
  const auto category = client.Post(kUpgrader + "category/", auth, R"({"name":"Slow"})", "application/json");
  BOOST_REQUIRE(category && category->status == 201);
  const auto build =
      client.Post(kUpgrader + "build/", auth,
                  R"({"category":")" + str(json(category->body)["id"]) + R"(","version":"1"})", "application/json");
  BOOST_REQUIRE(build && build->status == 201);
  uploader.build = str(json(build->body)["id"]);
  return uploader;
}

// The head of a multipart upload of `length` bytes (token "" = anonymous).
std::string upload_head(const std::string& build, const std::string& token, std::size_t length) {
  return "POST " + kUpgrader + "build/" + build + "/image/ HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
         (token.empty() ? "" : "Authorization: Bearer " + token + "\r\n") +
         "Content-Type: multipart/form-data; boundary=B\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

// A complete multipart upload of a small file that is no firmware image.
std::string small_upload(const std::string& build, const std::string& token, std::size_t size) {
  const std::string body = "--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes.txt\"\r\n\r\n" +
                           std::string(size, 'n') + "\r\n--B--\r\n";
  return upload_head(build, token, body.size()) + body;
}

enum class Kind { kAnonymousUpload, kSignedInUpload, kApiBody, kHeaders };

struct SlowClient {
  Kind kind;
  int fd;
  ResponseReader answer;
};

// The slow clients, closed when the test ends however it ends.
struct SlowClients {
  std::vector<SlowClient> all;

  SlowClients() = default;
  SlowClients(const SlowClients&) = delete;
  SlowClients& operator=(const SlowClients&) = delete;
  SlowClients(SlowClients&&) = delete;
  SlowClients& operator=(SlowClients&&) = delete;
  ~SlowClients() { close_all(); }

  void close_all() {
    for (auto& client : all) {
      if (client.fd >= 0) {
        ::close(client.fd);
        client.fd = -1;
      }
    }
  }
};

// Sends one more byte to every client that is still connected (10 bytes/s at a 100 ms pace).
void trickle(std::vector<SlowClient>& clients) {
  for (auto& client : clients) {
    if (!client.answer.closed()) {
      (void)::send(client.fd, "a", 1, MSG_NOSIGNAL | MSG_DONTWAIT);
    }
  }
}

void collect_answers(std::vector<SlowClient>& clients) {
  for (auto& client : clients) {
    client.answer.poll_from(client.fd, 0ms);
  }
}

int count_status(const std::vector<SlowClient>& clients, Kind kind, int status) {
  return static_cast<int>(std::count_if(clients.begin(), clients.end(), [&](const SlowClient& client) {
    return client.kind == kind && client.answer.response().status == status;
  }));
}

// The milliseconds of one health request on a new connection; the test stops unless it is 200.
double probe_health() {
  auto client = Stack().client();
  const auto started = Clock::now();
  const auto result = client.Get("/api/v1/health");
  const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
  BOOST_REQUIRE_MESSAGE(result, "health did not answer");
  BOOST_REQUIRE_MESSAGE(result->status == 200, "health answered " << result->status << ": " << result->body);
  return ms;
}

double percentile(std::vector<double> values, double share) {
  std::sort(values.begin(), values.end());
  return values[static_cast<std::size_t>(share * static_cast<double>(values.size() - 1))];
}

void expect_problem(const RawResponse& response, int status, const std::string& what) {
  BOOST_TEST(response.status == status, what << ": " << response.head);
  BOOST_TEST(response.header("Content-Type").value_or("").starts_with("application/json"), what);
  const auto body = json(response.body);
  BOOST_TEST(body["status"].GetInt() == status, what);
  BOOST_TEST(body["detail"].IsString(), what);
}

}  // namespace

// Regression (issue 16, finding 3): the API read the whole body of an upload before it answered
// 401/404, and anonymous slow uploads held every API thread (34 connections pushed health past
// 6 s, 40 stopped it answering).
BOOST_AUTO_TEST_CASE(two_hundred_slow_connections_leave_health_fast) {
  const Uploader uploader = make_uploader();
  const fwhub::Config config = fwhub::load_config(Stack().state() + "/fwhub.toml");
  const int worker_uploads = config.api.workers * config.api.max_uploads;
  constexpr int kAddresses = 50;
  constexpr std::size_t kUploadLength = std::size_t{10} * 1024 * 1024;
  SlowClients slow;
  std::vector<SlowClient>& clients = slow.all;
  clients.reserve(std::size_t{4} * kAddresses);
  for (int a = 0; a < kAddresses; ++a) {
    const std::string source = "127.0.0." + std::to_string(10 + a);
    const std::vector<std::pair<Kind, std::string>> heads = {
        {Kind::kAnonymousUpload, upload_head(fwhub::random_uuid(), "", kUploadLength) + "--B"},
        {Kind::kSignedInUpload, upload_head(uploader.build, uploader.token, kUploadLength) + "--B"},
        {Kind::kApiBody,
         "POST /api/v1/build HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
         "Content-Length: 100000\r\n\r\n{\""},
        {Kind::kHeaders, "GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: "}};
    for (const auto& [kind, head] : heads) {
      const int fd = connect_to_stack(source);
      BOOST_REQUIRE(send_all(fd, head));
      clients.push_back({kind, fd, {}});
    }
  }
  // The refused uploads are answered while their bodies trickle: anonymous ones 401, signed-in
  // ones beyond the workers' bound 503.
  const int signed_in_refusable = kAddresses - worker_uploads;
  const auto answer_deadline = Clock::now() + 5s;
  while (Clock::now() < answer_deadline && (count_status(clients, Kind::kAnonymousUpload, 401) < kAddresses ||
                                            count_status(clients, Kind::kSignedInUpload, 503) < signed_in_refusable)) {
    trickle(clients);
    collect_answers(clients);
    std::this_thread::sleep_for(100ms);
  }
  // Health, probed every 100 ms for 5 s while all of them go on trickling.
  std::vector<double> latencies;
  const auto probe_end = Clock::now() + 5s;
  while (Clock::now() < probe_end) {
    trickle(clients);
    latencies.push_back(probe_health());
    std::this_thread::sleep_for(100ms);
  }
  collect_answers(clients);
  const double median = percentile(latencies, 0.5);
  const double slowest = percentile(latencies, 1.0);
  BOOST_TEST_MESSAGE("health under 200 slow connections: " << latencies.size() << " probes, median " << median
                                                           << " ms, p90 " << percentile(latencies, 0.9) << " ms, max "
                                                           << slowest << " ms");
  BOOST_TEST(median < 100.0);
  BOOST_TEST(slowest < 100.0);
  BOOST_TEST(count_status(clients, Kind::kAnonymousUpload, 401) == kAddresses);
  int signed_in_answered = 0;
  for (const auto& client : clients) {
    const RawResponse response = client.answer.response();
    if (client.kind == Kind::kAnonymousUpload) {
      expect_problem(response, 401, "anonymous slow upload");
    } else if (client.kind == Kind::kSignedInUpload && response.status != 0) {
      ++signed_in_answered;
      expect_problem(response, 503, "signed-in slow upload beyond the workers' bound");
      BOOST_TEST(response.header("Retry-After").has_value());
    } else if (client.kind != Kind::kSignedInUpload) {
      BOOST_TEST(response.status == 0, "nginx holds slow API bodies and headers: " << response.head);
    }
  }
  // At most api.workers x api.max_uploads are received at once; every other one was refused.
  BOOST_TEST(signed_in_answered >= signed_in_refusable);
  slow.close_all();
  // Once they are gone the stack is as before: health is fast, an upload is received again (and
  // refused for what it is, not for the uploads that were in progress).
  std::this_thread::sleep_for(500ms);
  std::vector<double> after;
  after.reserve(10);
  for (int i = 0; i < 10; ++i) {
    after.push_back(probe_health());
  }
  BOOST_TEST_MESSAGE("health after them: median " << percentile(after, 0.5) << " ms, max " << percentile(after, 1.0)
                                                  << " ms");
  BOOST_TEST(percentile(after, 1.0) < 100.0);
  for (int i = 0; i < worker_uploads + 2; ++i) {
    const int fd = connect_to_stack("127.0.0." + std::to_string(100 + i));
    BOOST_REQUIRE(send_all(fd, small_upload(uploader.build, uploader.token, 1000)));
    const RawResponse response = fwhub::testing::read_response(fd, 10s);
    ::close(fd);
    BOOST_TEST(response.status == 400, response.head << response.body);
  }
}

// An upload refused on its headers is answered at once, whatever its body: anonymous 401, a build
// that does not exist or is another organization's 404, an operator's 403.
BOOST_AUTO_TEST_CASE(refused_uploads_are_answered_before_their_body) {
  const Uploader uploader = make_uploader();
  const Uploader other = make_uploader();
  const std::vector<std::tuple<std::string, std::string, int>> cases = {{uploader.build, "", 401},
                                                                        {fwhub::random_uuid(), uploader.token, 404},
                                                                        {other.build, uploader.token, 404},
                                                                        {uploader.build, uploader.operator_token, 403}};
  for (const auto& [build, token, status] : cases) {
    const int fd = connect_to_stack("127.0.0.210");
    BOOST_REQUIRE(send_all(fd, upload_head(build, token, std::size_t{20} * 1024 * 1024) + "--B\r\n"));
    const auto started = Clock::now();
    const RawResponse response = fwhub::testing::read_response(fd, 3s);
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
    ::close(fd);
    expect_problem(response, status, "upload to " + build + (token.empty() ? " anonymously" : ""));
    BOOST_TEST(waited < 1000ms, "answered after " << waited.count() << " ms");
  }
}

// One client address has at most 4 uploads in progress: the next are 429 (JSON) from nginx.
BOOST_AUTO_TEST_CASE(one_address_has_four_uploads_in_progress) {
  const Uploader uploader = make_uploader();
  std::vector<int> fds;
  std::vector<RawResponse> answers;
  answers.reserve(6);
  for (int i = 0; i < 6; ++i) {
    const int fd = connect_to_stack("127.0.0.220");
    BOOST_REQUIRE(send_all(fd, upload_head(uploader.build, uploader.token, std::size_t{10} * 1024 * 1024) + "--B"));
    fds.push_back(fd);
    std::this_thread::sleep_for(50ms);  // in this order through nginx
  }
  for (const int fd : fds) {
    answers.push_back(fwhub::testing::read_response(fd, 1s));
  }
  for (int i = 0; i < 4; ++i) {
    BOOST_TEST(answers[i].status == 0, "upload " << i << " is received: " << answers[i].head);
  }
  for (int i = 4; i < 6; ++i) {
    expect_problem(answers[i], 429, "upload " + std::to_string(i));
  }
  for (const int fd : fds) {
    ::close(fd);
  }
}

// Answers given before the body was read (the upload refused on its headers) leave the FastCGI
// connection usable: every request after them on the pool's kept connections is answered, none
// 502/503, whether nginx had sent the whole body (64 KiB) or not yet (1 MiB).
BOOST_AUTO_TEST_CASE(answers_before_the_body_keep_fastcgi_connections_usable) {
  const Uploader uploader = make_uploader();
  constexpr int kClients = 3;
  constexpr int kRounds = 100;
  std::vector<std::thread> threads;
  threads.reserve(kClients);
  std::vector<std::vector<std::string>> unexpected(kClients);
  for (int c = 0; c < kClients; ++c) {
    threads.emplace_back([&, c] {
      const std::string source = "127.0.0." + std::to_string(230 + c);
      const std::vector<std::pair<std::string, int>> requests = {
          {small_upload(fwhub::random_uuid(), "", std::size_t{64} * 1024), 401},
          {"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n", 200},
          {small_upload(fwhub::random_uuid(), uploader.token, std::size_t{1024} * 1024), 404},
          {"GET " + kUpgrader + "build/" + uploader.build + "/image/ HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
               uploader.token + "\r\n\r\n",
           200}};
      int fd = connect_to_stack(source);
      for (int round = 0; round < kRounds; ++round) {
        for (const auto& [request, status] : requests) {
          // nginx closes a client connection whose body it did not read to its end (after
          // answering): a request that finds it closed is sent again on a new one.
          RawResponse response;
          for (int attempt = 0; attempt < 2 && response.status == 0; ++attempt) {
            ResponseReader reader;
            if (send_all(fd, request)) {
              reader.poll_from(fd, 10s);
            }
            response = reader.response();
            if (response.status == 0 || response.header("Connection").value_or("") == "close") {
              ::close(fd);
              fd = connect_to_stack(source);
            }
          }
          if (response.status != status) {
            unexpected[c].push_back(std::to_string(status) + " expected: " + response.head.substr(0, 40));
          }
        }
      }
      ::close(fd);
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (int c = 0; c < kClients; ++c) {
    BOOST_TEST(unexpected[c].empty(), "client " << c << ": " << unexpected[c].size() << " unexpected, first "
                                                << (unexpected[c].empty() ? "" : unexpected[c].front()));
  }
}
