// HTTP client for the upstream catalog.
#include "fwhub/sys/http_upstream.hpp"

#include <httplib.h>

#include <thread>

#include "fwhub/common/status.hpp"

namespace fwhub::sys {
namespace {

constexpr int kAttempts = 3;
constexpr std::size_t kMaxBody = std::size_t{512} * 1024 * 1024;

}  // namespace

HttpUpstream::HttpUpstream(const std::string& base_url, int timeout_seconds) : timeout_seconds_(timeout_seconds) {
  const auto scheme_end = base_url.find("://");
  if (scheme_end == std::string::npos) {
    throw Error(Code::kInvalidArgument, "upstream URL without scheme: " + base_url);
  }
  const auto path_start = base_url.find('/', scheme_end + 3);
  origin_ = base_url.substr(0, path_start);
  prefix_ = path_start == std::string::npos ? "" : base_url.substr(path_start);
  while (!prefix_.empty() && prefix_.back() == '/') {
    prefix_.pop_back();
  }
}

std::string HttpUpstream::url(const std::string& path) const {
  return origin_ + prefix_ + "/" + path;
}

domain::catalog::Fetched HttpUpstream::fetch(const std::string& path, const domain::catalog::Validators& validators) {
  httplib::Client client(origin_);
  client.set_connection_timeout(timeout_seconds_);
  client.set_read_timeout(timeout_seconds_);
  // No redirect following: cpp-httplib 0.11 treats a 304 as a redirect without Location.
  client.set_follow_location(false);
  httplib::Headers headers;
  if (!validators.etag.empty()) {
    headers.emplace("If-None-Match", validators.etag);
  }
  if (!validators.last_modified.empty()) {
    headers.emplace("If-Modified-Since", validators.last_modified);
  }
  std::string failure;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    auto result = client.Get(prefix_ + "/" + path, headers);
    if (result && result->body.size() > kMaxBody) {
      throw Error(Code::kResourceExhausted, url(path) + ": larger than " + std::to_string(kMaxBody) + " bytes");
    }
    if (result && (result->status == 200 || result->status == 304 || result->status == 404)) {
      bytes_received_ += static_cast<long>(result->body.size());
      domain::catalog::Fetched fetched;
      fetched.status = result->status;
      fetched.body = std::move(result->body);
      fetched.validators = {result->get_header_value("ETag"), result->get_header_value("Last-Modified")};
      return fetched;
    }
    failure = result ? "HTTP " + std::to_string(result->status) : httplib::to_string(result.error());
    if (result && result->status < 500) {
      break;  // a client error does not get better by asking again
    }
    if (attempt < kAttempts) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200 * attempt * attempt));
    }
  }
  throw Error(Code::kUnavailable, url(path) + ": " + failure);
}

}  // namespace fwhub::sys
