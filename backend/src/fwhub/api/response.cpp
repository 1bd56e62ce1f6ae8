// Response serialization and the JSON error body.
#include "fwhub/api/response.hpp"

#include <cctype>
#include <string_view>

namespace fwhub::api {

Response& Response::header(std::string name, std::string value) {
  // A line break in a value would end the header and start one the client chose.
  for (char& c : value) {
    if (c == '\r' || c == '\n') {
      c = ' ';
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

std::string attachment_disposition(const std::string& file_name) {
  std::string quoted;
  std::string encoded;
  static constexpr const char* kHex = "0123456789ABCDEF";
  for (const char c : file_name) {
    const auto byte = static_cast<unsigned char>(c);
    quoted += c == '"' || c == '\\' ? std::string{'\\', c} : byte >= 0x80 ? std::string(1, '_') : std::string(1, c);
    if (std::isalnum(byte) != 0 || std::string_view("!#$&+-.^_`|~").find(c) != std::string_view::npos) {
      encoded += c;
    } else {
      encoded += '%';
      encoded += kHex[byte >> 4];
      encoded += kHex[byte & 0xf];
    }
  }
  return "attachment; filename=\"" + quoted + "\"; filename*=UTF-8''" + encoded;
}

std::string Response::serialize(bool include_body) const {
  std::string out = "Status: " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
  for (const auto& [name, value] : headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  if (include_body) {
    out += body;
  }
  return out;
}

Response problem_response(int status, const std::string& detail) {
  return json_response(status, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("status");
    w.Int(status);
    w.Key("title");
    w.String(reason_phrase(status));
    w.Key("detail");
    w.String(detail.c_str(), static_cast<rapidjson::SizeType>(detail.size()));
    w.EndObject();
  });
}

const char* reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Entity";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    case 529:
      return "Server overloaded";
    default:
      return "Unknown";
  }
}

}  // namespace fwhub::api
