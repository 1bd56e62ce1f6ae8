// Bad input against the live API through nginx: every value of bad_input_corpus.txt in every path
// parameter, query parameter (openapi.json) and JSON field (openapi.json) of every route of the
// route table, plus bodies no parser may choke on (deep, wide, huge, duplicate keys, broken UTF-8,
// wrong content types). Never a 5xx, always a JSON error on 4xx, and the fleet tables unchanged
// by anonymous and invalid requests. Also: /store/ never serves a canary planted beside the store,
// and header values never carry a client's CR/LF (slow bodies: functional_slowloris).
#define BOOST_TEST_MODULE bad_input
#include <boost/test/unit_test.hpp>

#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fwhub/api/router.hpp"
#include "fwhub/common/random.hpp"
#include "support/fleet_calls.hpp"
#include "support/route_table.hpp"
#include "support/stack_client.hpp"

using fwhub::testing::admin_line;
using fwhub::testing::json;
using fwhub::testing::Stack;
using fwhub::testing::str;
namespace fs = std::filesystem;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The corpus: raw JSON values, one a line.
std::vector<std::string> corpus() {
  std::vector<std::string> out;
  std::istringstream lines(read_file(FWHUB_SOURCE_DIR "/tests/functional/bad_input_corpus.txt"));
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() != '#') {
      out.push_back(line);
    }
  }
  BOOST_REQUIRE(out.size() > 40);
  return out;
}

void append_utf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xc0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3f));
  } else {  // lone surrogates too: the invalid bytes a sloppy encoder would produce
    out += static_cast<char>(0xe0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (code & 0x3f));
  }
}

// The bytes a corpus value stands for in a URL: a JSON string decoded (each \u escape on its
// own), anything else as written.
std::string bytes_of(const std::string& raw) {
  if (raw.size() < 2 || raw.front() != '"') {
    return raw;
  }
  std::string out;
  for (std::size_t i = 1; i + 1 < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    const char escaped = raw[++i];
    if (escaped == 'u') {
      append_utf8(out, static_cast<unsigned>(std::stoul(raw.substr(i + 1, 4), nullptr, 16)));
      i += 4;
    } else {
      out += escaped == 'n' ? '\n' : escaped == 'r' ? '\r' : escaped == 't' ? '\t' : escaped;
    }
  }
  return out;
}

std::string percent_encoded(const std::string& bytes) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (const char c : bytes) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xf];
    }
  }
  return out;
}

struct Route {
  std::string method;
  std::string pattern;
  std::vector<std::string> query;   // documented query parameters
  std::vector<std::string> fields;  // documented JSON body fields
  bool json_body = false;
};

// The route table with the parameters and fields frontend/openapi.json documents for each route.
std::vector<Route> routes() {
  const auto doc = fwhub::testing::openapi_document();
  const auto resolve = [&doc](const rapidjson::Value& value) -> const rapidjson::Value& {
    if (value.IsObject() && value.HasMember("$ref")) {
      std::string ref = value["$ref"].GetString();  // "#/components/<kind>/<name>"
      const auto slash = ref.rfind('/');
      const std::string kind = ref.substr(13, slash - 13);
      return doc["components"][kind.c_str()][ref.substr(slash + 1).c_str()];
    }
    return value;
  };
  std::vector<Route> out;
  for (const auto& entry : fwhub::testing::route_table()) {
    Route route;
    route.method = entry.method;
    route.pattern = entry.pattern;
    const auto* path_item = fwhub::testing::documented_path(doc, entry);
    const auto* operation_item = fwhub::testing::documented_operation(doc, entry);
    if (path_item == nullptr || operation_item == nullptr) {
      out.push_back(std::move(route));  // undocumented: path parameters only
      continue;
    }
    const auto& path = *path_item;
    const auto& operation = *operation_item;
    std::vector<const rapidjson::Value*> parameters;
    for (const auto* holder : {&path, &operation}) {
      if (holder->HasMember("parameters")) {
        for (const auto& parameter : (*holder)["parameters"].GetArray()) {
          parameters.push_back(&resolve(parameter));
        }
      }
    }
    for (const auto* parameter : parameters) {
      if (str((*parameter)["in"]) == "query") {
        route.query.push_back(str((*parameter)["name"]));
      }
    }
    if (operation.HasMember("requestBody") &&
        resolve(operation["requestBody"])["content"].HasMember("application/json")) {
      route.json_body = true;
      const auto& schema = resolve(resolve(operation["requestBody"])["content"]["application/json"]["schema"]);
      if (schema.HasMember("properties")) {
        for (const auto& property : schema["properties"].GetObject()) {
          route.fields.emplace_back(property.name.GetString());
        }
      }
    }
    out.push_back(std::move(route));
  }
  return out;
}

// Sends requests and checks every answer: below 500, a JSON error when 4xx, no header with CR/LF.
class Prober {
 public:
  explicit Prober(std::string token) : client_(Stack().client()), token_(std::move(token)) {
    client_.set_url_encode(false);
  }

  int send(const std::string& method, const std::string& path, const std::string& body = "",
           const std::string& type = "application/json") {
    httplib::Request request;
    request.method = method;
    request.path = path;
    if (!token_.empty()) {
      request.headers.emplace("Authorization", "Bearer " + token_);
    }
    if (method != "GET" && method != "DELETE") {
      request.headers.emplace("Content-Type", type);
      request.body = body;
    }
    const auto result = client_.send(request);
    ++sent_;
    BOOST_REQUIRE_MESSAGE(result, method << " " << path.substr(0, 200) << ": no answer");
    const int status = result->status;
    BOOST_TEST(status < 500, method << " " << path.substr(0, 200) << " " << body.substr(0, 120) << " -> " << status
                                    << " " << result->body.substr(0, 200));
    if (status >= 400 && status < 500) {
      // A problem {"status","title","detail"}, or a documented error object ({"error"} of batches).
      rapidjson::Document error;
      error.Parse(result->body.c_str());
      BOOST_TEST((!error.HasParseError() && error.IsObject() && error.MemberCount() > 0),
                 method << " " << path.substr(0, 200) << " -> " << status
                        << " not a JSON error: " << result->body.substr(0, 200));
      BOOST_TEST(result->get_header_value("Content-Type") == "application/json", path.substr(0, 200));
    }
    for (const auto& [name, value] : result->headers) {
      BOOST_TEST(value.find_first_of("\r\n") == std::string::npos, name << " carries CR/LF");
      BOOST_TEST(name != "X-Injected");
    }
    return status;
  }

  [[nodiscard]] int sent() const { return sent_; }

 private:
  httplib::Client client_;
  std::string token_;
  int sent_ = 0;
};

// The path with parameter number `fuzzed` set to `value` and the others to the tenant's objects:
// "{build}" is its build, "{id}" the object of the collection before it (a random id if none).
std::string fill(const std::string& pattern, const std::map<std::string, std::string>& real, std::size_t fuzzed,
                 const std::string& value) {
  std::string out;
  std::string previous;
  std::size_t index = 0;
  for (const auto& segment : fwhub::api::split_path(pattern)) {
    std::string part = segment;
    if (segment.starts_with('{')) {
      const std::string key = segment == "{id}" ? previous : segment;
      part = index++ == fuzzed ? value : real.contains(key) ? real.at(key) : fwhub::random_uuid();
    }
    out += "/" + part;
    previous = segment;
  }
  return out;
}

std::size_t parameter_count(const std::string& pattern) {
  return static_cast<std::size_t>(std::count(pattern.begin(), pattern.end(), '{'));
}

// The fleet tables' checksums: changed by any insert, update or delete.
std::string fleet_checksum() {
  const auto [status, output] = Stack().sql(
      "CHECKSUM TABLE organizations, users, memberships, categories, fw_builds, fw_images, credentials, devices, "
      "device_connections, device_firmware");
  BOOST_REQUIRE_MESSAGE(status == 0, output);
  return output;
}

// Sign-in failures of this address are the throttle's, not data: forget the ones the probes made.
void forget_address_failures() {
  (void)Stack().sql("DELETE FROM login_failures WHERE subject LIKE 'ip:%'");
}

// URL forms of a value: percent-encoded, and as typed when that is a valid request line.
std::vector<std::string> url_forms(const std::string& raw) {
  const std::string bytes = bytes_of(raw);
  std::vector<std::string> out = {percent_encoded(bytes)};
  if (!bytes.empty() && bytes.find_first_of(" #?\\\"<>{}\r\n\t") == std::string::npos &&
      std::all_of(bytes.begin(), bytes.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    out.push_back(bytes);
  }
  return out;
}

// Bodies for a JSON route: each field with each value, and whole bodies no parser may choke on.
std::vector<std::pair<std::string, std::string>> bodies(const Route& route, const std::vector<std::string>& values) {
  std::vector<std::pair<std::string, std::string>> out;  // (body, content type)
  for (const auto& field : route.fields) {
    for (const auto& value : values) {
      out.emplace_back("{\"" + field + "\":" + value + "}", "application/json");
    }
    out.emplace_back("{\"" + field + "\":\"\xc0\xaf\xe0\x80\xaf\xff\xfe\"}", "application/json");  // overlong, invalid
    out.emplace_back("{\"" + field + "\":\"a\",\"" + field + "\":\"b\"}", "application/json");     // duplicate key
  }
  if (!route.fields.empty()) {
    out.emplace_back("{\"" + route.fields.front() + "\":\"" + std::string(1 << 20, 'x') + "\"}", "application/json");
  }
  out.emplace_back(std::string(100000, '[') + std::string(100000, ']'), "application/json");
  std::string wide = "{";
  for (int i = 0; i < 50000; ++i) {
    wide += (i == 0 ? "\"k" : ",\"k") + std::to_string(i) + "\":" + std::to_string(i);
  }
  out.emplace_back(wide + "}", "application/json");
  for (const std::string& body : std::vector<std::string>{"", "null", "[]", "\"x\"", "{", "{\"a\":}", "{}{}",
                                                          "\xef\xbb\xbf{}", "{\"a\":1e999}"}) {
    out.emplace_back(body, "application/json");
  }
  out.emplace_back("{}", "text/plain");
  out.emplace_back("a=1&b=2", "application/x-www-form-urlencoded");
  out.emplace_back("--x\r\n\r\n", "multipart/form-data");
  out.emplace_back("{}", "application/json; charset=\"\r\n");
  return out;
}

struct Tenant {
  std::string slug = "bi" + fwhub::random_hex(4);
  std::string token;
  std::map<std::string, std::string> ids;  // "{build}", or the collection before "{id}" -> id

  Tenant() {
    admin_line("create-organization " + slug + " " + slug);
    admin_line("create-user " + slug + "-admin --organization " + slug + " --role admin", "badinputpass");
    token = admin_line("create-token " + slug + "-admin probe");
    auto client = Stack().client();
    const httplib::Headers auth{{"Authorization", "Bearer " + token}};
    const auto created = [&](const std::string& path, const std::string& body) {
      const auto result = client.Post(path, auth, body, "application/json");
      BOOST_REQUIRE(result && result->status == 201);
      return str(json(result->body)["id"]);
    };
    ids["category"] = created("/api/v1/firmware-upgrader/category/", R"({"name":"B"})");
    ids["build"] =
        created("/api/v1/firmware-upgrader/build/", R"({"category":")" + ids["category"] + R"(","version":"1"})");
    ids["{build}"] = ids["build"];
    ids["devices"] = created("/api/v1/devices/", R"({"name":"b1"})");
    ids["device"] = ids["devices"];
  }
};

}  // namespace

BOOST_AUTO_TEST_CASE(corpus_in_every_parameter_and_field_of_every_route) {
  const auto values = corpus();
  const auto table = routes();
  Tenant tenant;
  Prober anonymous("");
  Prober admin(tenant.token);

  // Anonymous and invalid requests change nothing.
  const std::string before = fleet_checksum();
  for (const auto& route : table) {
    for (const auto& value : values) {
      for (const auto& form : url_forms(value)) {
        for (std::size_t i = 0; i < parameter_count(route.pattern); ++i) {
          anonymous.send(route.method, fill(route.pattern, tenant.ids, i, form), "{}");
          admin.send(route.method, fill(route.pattern, tenant.ids, i, form), "{}");
        }
        std::string query;
        for (const auto& name : route.query) {
          query += (query.empty() ? "?" : "&") + name + "=" + form;
        }
        if (!query.empty()) {
          anonymous.send(route.method, fill(route.pattern, tenant.ids, 99, "") + query, "{}");
          if (route.method == "GET") {
            admin.send(route.method, fill(route.pattern, tenant.ids, 99, "") + query);
          }
        }
      }
    }
    if (route.json_body && (route.pattern == "/api/v1/build" || route.pattern == "/api/v1/auth/login")) {
      for (const auto& [body, type] : bodies(route, values)) {
        anonymous.send(route.method, route.pattern, body, type);
      }
    }
  }
  forget_address_failures();
  BOOST_TEST(fleet_checksum() == before, "anonymous or invalid requests changed the fleet tables");

  // Bodies with an administrator's rights: they may create or change A's objects, never fail.
  for (const auto& route : table) {
    if (route.json_body && route.method != "DELETE") {
      for (const auto& [body, type] : bodies(route, values)) {
        admin.send(route.method, fill(route.pattern, tenant.ids, 99, ""), body, type);
      }
    }
  }
  forget_address_failures();
  BOOST_TEST(admin.send("GET", "/api/v1/auth/me") == 200, "the administrator's token no longer works");
  BOOST_TEST_MESSAGE("requests: " << anonymous.sent() << " anonymous, " << admin.sent() << " as an administrator");
  BOOST_TEST(anonymous.sent() + admin.sent() > 10000);
}

BOOST_AUTO_TEST_CASE(bodies_over_the_limit_are_413_json) {
  Prober anonymous("");
  for (const std::string& path : std::vector<std::string>{"/api/v1/build", "/api/v1/auth/login", "/api/v1/devices/"}) {
    BOOST_TEST(anonymous.send("POST", path, std::string(3 << 20, ' ')) == 413, path);
  }
}

BOOST_AUTO_TEST_CASE(store_never_serves_a_file_beside_it) {
  const Stack stack;
  const std::string secret = "canary-" + fwhub::random_hex(16);
  const fs::path lib = stack.state() + "/lib";
  fs::create_directories(lib / "store");
  std::ofstream(lib / "canary.txt") << secret;
  std::ofstream(lib / "firmware" / "canary.txt") << secret;
  stack.remember_secret(secret);
  const std::string hash(64, 'c');
  auto client = stack.client();
  client.set_url_encode(false);
  int tried = 0;
  for (const std::string& dots : std::vector<std::string>{"..", "%2e%2e", "%2E%2E", ".%2e", "%2e.", "%252e%252e",
                                                          "%c0%ae%c0%ae", "%e0%80%ae%e0%80%ae", "..%00", "..;"}) {
    for (const std::string& slash : std::vector<std::string>{"/", "%2f", "%2F", "%252f", "%5c", "\\", "%c0%af", "//"}) {
      for (const std::string& prefix :
           std::vector<std::string>{"/store/", "/store/" + hash + "/", "/store/" + hash + slash}) {
        for (const std::string& target : std::vector<std::string>{"canary.txt", "firmware" + slash + "canary.txt"}) {
          const std::string path = prefix + dots + slash + dots + slash + target;
          const auto result = client.Get(path);
          ++tried;
          BOOST_REQUIRE(result);
          BOOST_TEST(result->body.find(secret) == std::string::npos, path << " served the canary");
          BOOST_TEST(result->status != 200, path);
        }
      }
    }
  }
  for (const std::string& path :
       std::vector<std::string>{"/internal/firmware/canary.txt", "/lib/canary.txt", "/../lib/canary.txt"}) {
    const auto result = client.Get(path);
    BOOST_REQUIRE(result);
    BOOST_TEST(result->body.find(secret) == std::string::npos, path);
  }
  BOOST_TEST(tried > 400);
  fs::remove(lib / "canary.txt");
  fs::remove(lib / "firmware" / "canary.txt");
}

// A client's CR/LF or quote in a store file name must not reach a response header (nginx decodes
// %0d%0a into $uri, which the store's Content-Disposition used to carry).
BOOST_AUTO_TEST_CASE(store_file_names_cannot_inject_headers) {
  Prober anonymous("");
  const std::string prefix = "/store/" + std::string(64, 'd') + "/";
  for (const std::string& name :
       std::vector<std::string>{"x%0d%0aX-Injected:%201", "x%0aX-Injected:%201", "x%22;%20filename*=UTF-8''evil.exe",
                                "x%0d%0a%0d%0a<script>", "x%5c%22.bin"}) {
    BOOST_TEST(anonymous.send("GET", prefix + name) == 404, name);
  }
}

// Static files, API answers, the API's errors and nginx's own (404, 400, 413) all carry the
// security headers; a location with add_header lines of its own must repeat them.
BOOST_AUTO_TEST_CASE(every_kind_of_answer_carries_the_security_headers) {
  auto client = Stack().client();
  client.set_url_encode(false);
  const std::vector<std::pair<std::string, int>> gets = {{"/", 200},
                                                         {"/json/v1/overview.json", 200},
                                                         {"/api/v1/health", 200},
                                                         {"/api/v1/openapi.json", 200},
                                                         {"/api/v1/no-such-route", 404},
                                                         {"/api/v1/devices/", 401},
                                                         {"/no-such-file.html", 404},
                                                         {"/store/" + std::string(64, 'e') + "/missing.bin", 404},
                                                         {"/store/elsewhere", 404},
                                                         {"/%00", 400}};
  std::vector<std::pair<std::string, httplib::Result>> answers;
  for (const auto& [path, status] : gets) {
    auto result = client.Get(path);
    BOOST_REQUIRE_MESSAGE(result, path);
    BOOST_TEST(result->status == status, path << " -> " << result->status);
    answers.emplace_back(path, std::move(result));
  }
  answers.emplace_back("POST 3 MiB", client.Post("/api/v1/build", std::string(3 << 20, ' '), "application/json"));
  BOOST_TEST(answers.back().second->status == 413);
  for (const auto& [what, result] : answers) {
    BOOST_TEST(result->get_header_value("X-Content-Type-Options") == "nosniff", what);
    BOOST_TEST(result->get_header_value("X-Frame-Options") == "DENY", what);
    BOOST_TEST(result->get_header_value("Referrer-Policy") == "same-origin", what);
    BOOST_TEST(result->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'") != std::string::npos,
               what);
    if (result->status >= 400) {
      BOOST_TEST(result->get_header_value("Content-Type") == "application/json", what);
    }
  }
}
