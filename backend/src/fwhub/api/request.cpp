// Request parsing: CGI parameters, percent-decoding, query strings and headers.
#include "fwhub/api/request.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "fwhub/common/status.hpp"

namespace fwhub::api {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::optional<std::string> Request::header(const std::string& lower_name) const {
  const auto it = headers.find(lower_name);
  if (it == headers.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<std::string> Request::query_value(const std::string& name) const {
  const auto it = query.find(name);
  if (it == query.end()) {
    return std::nullopt;
  }
  return it->second;
}

const std::string& Request::param(const std::string& name) const {
  static const std::string kEmpty;
  const auto it = path_params.find(name);
  return it == path_params.end() ? kEmpty : it->second;
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return std::nullopt;
      }
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) {
        return std::nullopt;
      }
      out.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

CgiParams params_from_env(const char* const* envp) {
  CgiParams params;
  for (const char* const* entry = envp; entry != nullptr && *entry != nullptr; ++entry) {  // NOLINT
    const std::string_view pair(*entry);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos) {
      params.emplace_back(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
    }
  }
  return params;
}

std::optional<std::multimap<std::string, std::string>> parse_query(std::string_view text) {
  std::multimap<std::string, std::string> out;
  while (!text.empty()) {
    const auto amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) {
      return std::nullopt;
    }
    out.emplace(std::move(*key), std::move(*value));
  }
  return out;
}

std::int64_t checked_content_length(const CgiParams& params, std::int64_t max_body_bytes) {
  for (const auto& [name, value] : params) {
    if (name != "CONTENT_LENGTH" || value.empty()) {
      continue;
    }
    std::int64_t length = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (error != std::errc() || end != value.data() + value.size() || length < 0) {
      throw Error(Code::kInvalidArgument, "malformed Content-Length");
    }
    if (length > max_body_bytes) {
      throw Error(Code::kPayloadTooLarge, "request body larger than " + std::to_string(max_body_bytes) + " bytes");
    }
    return length;
  }
  return 0;
}

Request request_from_cgi(const CgiParams& params, std::string body) {
  Request request;
  std::string uri;
  std::string query_string;
  for (const auto& [name, value] : params) {
    if (name == "REQUEST_METHOD") {
      request.method = value;
    } else if (name == "REQUEST_URI") {
      uri = value;
    } else if (name == "QUERY_STRING") {
      query_string = value;
    } else if (name == "REQUEST_ID") {
      request.request_id = value;
    } else if (name == "REMOTE_ADDR") {
      request.remote_addr = value;
    } else if (name == "CONTENT_TYPE") {
      request.headers["content-type"] = value;
    } else if (name == "CONTENT_LENGTH") {
      request.headers["content-length"] = value;
    } else if (name.starts_with("HTTP_")) {
      std::string header = lower(name.substr(5));
      std::replace(header.begin(), header.end(), '_', '-');
      request.headers[header] = value;
    }
  }
  request.path = uri.substr(0, uri.find('?'));
  if (request.path.empty()) {
    request.path = "/";
  }
  auto query = parse_query(query_string);
  if (!query) {
    throw Error(Code::kInvalidArgument, "malformed query string");
  }
  request.query = std::move(*query);
  request.body = std::move(body);
  return request;
}

}  // namespace fwhub::api
