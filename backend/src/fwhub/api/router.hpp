// Route table: (method, path pattern) -> handler, with {name} path parameters, 404 and 405.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

using Handler = std::function<Response(const Request&, Context&)>;

struct RouteMatch {
  const Handler* handler = nullptr;           // null: no route for this method
  std::map<std::string, std::string> params;  // decoded path parameters
  std::vector<std::string> allowed;           // methods the path accepts (for 405's Allow)
  std::optional<std::size_t> route;           // index of the matched route (with the handler)
};

struct RouteName {
  std::string method;
  std::string pattern;
};

class Router {
 public:
  // pattern: "/api/v1/build/{hash}"; "{name}" matches one non-empty segment.
  // A GET route also answers HEAD.
  Router& add(const std::string& method, const std::string& pattern, Handler handler);

  // Throws Error kNotFound when no pattern matches the path, or kInvalidArgument on a
  // malformed escape in a path segment. A match with a null handler means 405.
  [[nodiscard]] RouteMatch match(const std::string& method, const std::string& path) const;

  [[nodiscard]] std::vector<std::string> patterns() const;
  // Method and pattern of every route, by the index RouteMatch::route gives.
  [[nodiscard]] std::vector<RouteName> names() const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace fwhub::api
