// A plain HTTP request, built from FastCGI parameters, independent of libfcgi.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fwhub::api {

// Reads up to `size` bytes of a streamed body into `buffer`; 0 at its end.
using BodyReader = std::function<std::size_t(char* buffer, std::size_t size)>;

struct Request {
  std::string method;                              // upper case, e.g. "GET"
  std::string path;                                // raw path without the query, e.g. "/api/v1/x%20y"
  std::multimap<std::string, std::string> query;   // decoded
  std::map<std::string, std::string> headers;      // lower-case names, e.g. "content-type"
  std::map<std::string, std::string> path_params;  // filled by the router, decoded
  std::optional<std::size_t> route;                // the matched route's index, set by the dispatcher
  std::string body;
  BodyReader stream;       // set instead of `body` for multipart/form-data (uploads are streamed)
  std::string request_id;  // from nginx ($request_id) or generated
  std::string remote_addr;

  [[nodiscard]] std::optional<std::string> header(const std::string& lower_name) const;
  [[nodiscard]] std::optional<std::string> query_value(const std::string& name) const;
  [[nodiscard]] const std::string& param(const std::string& name) const;
};

using CgiParams = std::vector<std::pair<std::string, std::string>>;

// The parameters of a FastCGI environment ("NAME=value" strings up to a null pointer; null is
// none), in order; an entry without '=' is skipped, a value keeps any further '='.
CgiParams params_from_env(const char* const* envp);

// Decodes %XX (and '+' as space when `plus_is_space`); nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// Parses "a=1&b=x%20y"; nullopt on a malformed escape.
std::optional<std::multimap<std::string, std::string>> parse_query(std::string_view text);

// Content-Length from the parameters: 0 when absent. Throws Error kInvalidArgument when it is
// malformed and kPayloadTooLarge when it exceeds max_body_bytes.
std::int64_t checked_content_length(const CgiParams& params, std::int64_t max_body_bytes);

// Builds the request from CGI/FastCGI parameters (REQUEST_METHOD, REQUEST_URI, QUERY_STRING,
// HTTP_* headers, CONTENT_TYPE, CONTENT_LENGTH, REQUEST_ID, REMOTE_ADDR). Throws Error
// (kInvalidArgument) on a malformed query string.
Request request_from_cgi(const CgiParams& params, std::string body);

}  // namespace fwhub::api
