// ETag = 64-bit FNV-1a of the body, in hex and quotes; If-None-Match may list several tags or "*".
#include "fwhub/api/etag.hpp"

#include <array>
#include <cstdint>
#include <cstdio>

namespace fwhub::api {
namespace {

std::string body_tag(const std::string& body) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : body) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  std::array<char, 24> text{};
  std::snprintf(text.data(), text.size(), "\"%016llx\"", static_cast<unsigned long long>(hash));
  return text.data();
}

// True when the header's list names `tag` (weak or strong) or is "*".
bool names(std::string_view header, const std::string& tag) {
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = header.substr(0, comma);
    while (!item.empty() && item.front() == ' ') {
      item.remove_prefix(1);
    }
    while (!item.empty() && item.back() == ' ') {
      item.remove_suffix(1);
    }
    if (item.starts_with("W/")) {
      item.remove_prefix(2);
    }
    if (item == "*" || item == tag) {
      return true;
    }
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
  }
  return false;
}

}  // namespace

Response conditional(const Request& request, Response response) {
  if (response.status != 200) {
    return response;
  }
  const std::string tag = body_tag(response.body);
  response.header("ETag", tag);
  response.header("Cache-Control", "private, no-cache");
  if (const auto header = request.header("if-none-match"); header && names(*header, tag)) {
    Response unchanged;
    unchanged.status = 304;
    unchanged.header("ETag", tag);
    unchanged.header("Cache-Control", "private, no-cache");
    return unchanged;
  }
  return response;
}

}  // namespace fwhub::api
