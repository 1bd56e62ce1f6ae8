// A plain HTTP response and the JSON body helpers every handler uses.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace fwhub::api {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Adds a header; CR and LF in the value become spaces.
  Response& header(std::string name, std::string value);
  // The CGI form libfcgi writes out: "Status: 200 OK\r\n" headers, blank line, body.
  [[nodiscard]] std::string serialize(bool include_body) const;
};

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

// Response with a JSON body written by `write` (which receives a JsonWriter).
template <typename Fn>
Response json_response(int status, Fn&& write) {
  rapidjson::StringBuffer buffer;
  JsonWriter writer(buffer);
  std::forward<Fn>(write)(writer);
  Response response;
  response.status = status;
  response.body.assign(buffer.GetString(), buffer.GetSize());
  response.header("Content-Type", "application/json");
  return response;
}

// {"status": N, "title": "...", "detail": "..."}: the body of every error.
Response problem_response(int status, const std::string& detail);

// Content-Disposition for a download (RFC 6266): the name as a quoted-string with '"' and '\'
// escaped and other than ASCII as '_', and whole in filename* (UTF-8, percent-encoded).
std::string attachment_disposition(const std::string& file_name);

// Reason phrase of an HTTP status ("Not Found").
const char* reason_phrase(int status);

}  // namespace fwhub::api
