// The API's routes as the functional tests walk them: make_routes() (the table fwhub-api serves,
// not a list typed in a test) and what frontend/openapi.json documents for each of them.
#pragma once

#include <rapidjson/document.h>
#include <boost/test/unit_test.hpp>

#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fwhub/api/routes.hpp"

namespace fwhub::testing {

struct RouteEntry {
  std::string method;   // "GET"
  std::string pattern;  // "/api/v1/devices/{id}/"
};

inline std::vector<RouteEntry> route_table() {
  std::vector<RouteEntry> out;
  for (const auto& entry : fwhub::api::make_routes().patterns()) {  // "METHOD pattern"
    const auto space = entry.find(' ');
    out.push_back({entry.substr(0, space), entry.substr(space + 1)});
  }
  return out;
}

inline rapidjson::Document openapi_document() {
  std::ifstream in(FWHUB_SOURCE_DIR "/frontend/openapi.json");
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str().c_str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError() && document.IsObject() && document.HasMember("paths"),
                        "frontend/openapi.json is not an OpenAPI document");
  return document;
}

// The path item of the route's pattern, or nullptr when it is not documented.
inline const rapidjson::Value* documented_path(const rapidjson::Document& openapi, const RouteEntry& route) {
  const auto& paths = openapi["paths"];
  const auto found = paths.FindMember(route.pattern.c_str());
  return found == paths.MemberEnd() ? nullptr : &found->value;
}

// The route's operation, or nullptr when it is not documented.
inline const rapidjson::Value* documented_operation(const rapidjson::Document& openapi, const RouteEntry& route) {
  const auto* path = documented_path(openapi, route);
  if (path == nullptr) {
    return nullptr;
  }
  std::string method = route.method;
  for (char& c : method) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  const auto found = path->FindMember(method.c_str());
  return found == path->MemberEnd() ? nullptr : &found->value;
}

}  // namespace fwhub::testing
