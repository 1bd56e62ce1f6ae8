// Route matching by path segments.
#include "fwhub/api/router.hpp"

#include <algorithm>
#include <optional>

#include "fwhub/common/status.hpp"

namespace fwhub::api {
namespace {

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Matches decoded segments against a pattern; fills params on success.
bool matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             std::map<std::string, std::string>& params) {
  if (pattern.size() != segments.size()) {
    return false;
  }
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      if (segments[i].empty()) {
        return false;
      }
      found[pattern[i].substr(1, pattern[i].size() - 2)] = segments[i];
    } else if (pattern[i] != segments[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> segments;
  std::size_t start = path.starts_with('/') ? 1 : 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const auto end = slash == std::string::npos ? path.size() : slash;
    segments.push_back(path.substr(start, end - start));
    if (slash == std::string::npos) {
      break;
    }
    start = slash + 1;
  }
  return segments;
}

Router& Router::add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, pattern, split_path(pattern), std::move(handler)});
  return *this;
}

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  std::vector<std::string> segments;
  for (const auto& raw : split_path(path)) {
    auto decoded = percent_decode(raw, false);
    if (!decoded) {
      throw Error(Code::kInvalidArgument, "malformed path");
    }
    segments.push_back(std::move(*decoded));
  }
  const std::string wanted = method == "HEAD" ? "GET" : method;
  RouteMatch result;
  bool path_known = false;
  for (std::size_t index = 0; index < routes_.size(); ++index) {
    const Route& route = routes_[index];
    std::map<std::string, std::string> params;
    if (!matches(route.segments, segments, params)) {
      continue;
    }
    path_known = true;
    result.allowed.push_back(route.method);
    if (route.method == "GET") {
      result.allowed.emplace_back("HEAD");
    }
    if (route.method == wanted && result.handler == nullptr) {
      result.handler = &route.handler;
      result.params = std::move(params);
      result.route = index;
    }
  }
  if (!path_known) {
    throw Error(Code::kNotFound, "no such resource: " + path);
  }
  std::sort(result.allowed.begin(), result.allowed.end());
  result.allowed.erase(std::unique(result.allowed.begin(), result.allowed.end()), result.allowed.end());
  return result;
}

std::vector<std::string> Router::patterns() const {
  std::vector<std::string> out;
  for (const auto& route : routes_) {
    out.push_back(route.method + " " + route.pattern);
  }
  return out;
}

std::vector<RouteName> Router::names() const {
  std::vector<RouteName> out;
  out.reserve(routes_.size());
  for (const auto& route : routes_) {
    out.push_back({route.method, route.pattern});
  }
  return out;
}

}  // namespace fwhub::api
