// Keeps frontend/openapi.json true to the route table: every route of make_routes() is documented,
// the document has no operation the router lacks (except paths nginx answers itself), every path
// parameter is declared and every $ref resolves.
#define BOOST_TEST_MODULE openapi
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <boost/test/unit_test.hpp>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "fwhub/api/routes.hpp"

namespace {

using Operation = std::pair<std::string, std::string>;  // method in upper case, path pattern

// Answered by nginx/fwhub.conf before a request reaches the API, so not in the route table.
const std::set<Operation> kAnsweredByNginx = {
    {"GET", "/api/v1/latest"},        // 301 to /json/v1/latest.json
    {"GET", "/api/v1/overview"},      // 301 to /json/v1/overview.json
    {"GET", "/api/overview"},         // LuCI's old path, 301 to /json/v1/overview.json
    {"GET", "/api/v1/openapi.json"},  // this document, a static file
};

const std::set<std::string> kOperationKeys = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

rapidjson::Document openapi() {
  const std::string text = read_file(FWHUB_SOURCE_DIR "/frontend/openapi.json");
  rapidjson::Document document;
  document.Parse(text.c_str(), text.size());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError() && document.IsObject(), "frontend/openapi.json is not a JSON object");
  BOOST_REQUIRE(document.HasMember("paths") && document["paths"].IsObject());
  return document;
}

std::string upper(std::string text) {
  for (char& c : text) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return text;
}

std::set<Operation> routed() {
  std::set<Operation> out;
  for (const auto& entry : fwhub::api::make_routes().patterns()) {  // "METHOD pattern"
    const auto space = entry.find(' ');
    out.emplace(entry.substr(0, space), entry.substr(space + 1));
  }
  return out;
}

std::set<Operation> documented(const rapidjson::Document& document) {
  std::set<Operation> out;
  for (const auto& path : document["paths"].GetObject()) {
    for (const auto& member : path.value.GetObject()) {
      if (kOperationKeys.contains(member.name.GetString())) {
        out.emplace(upper(member.name.GetString()), path.name.GetString());
      }
    }
  }
  return out;
}

// The names of the {name} segments of a path.
std::set<std::string> template_names(const std::string& path) {
  std::set<std::string> names;
  for (auto open = path.find('{'); open != std::string::npos; open = path.find('{', open + 1)) {
    names.insert(path.substr(open + 1, path.find('}', open) - open - 1));
  }
  return names;
}

// Adds the path parameters of a "parameters" array (inline or $ref) to `names`.
void add_path_parameters(const rapidjson::Document& document, const rapidjson::Value& holder,
                         std::set<std::string>& names) {
  if (!holder.HasMember("parameters")) {
    return;
  }
  for (const auto& item : holder["parameters"].GetArray()) {
    const rapidjson::Value* parameter = &item;
    if (item.HasMember("$ref")) {
      parameter = rapidjson::Pointer(item["$ref"].GetString() + 1).Get(document);
      BOOST_REQUIRE_MESSAGE(parameter != nullptr, "unresolved parameter " << item["$ref"].GetString());
    }
    BOOST_REQUIRE(parameter->HasMember("in") && parameter->HasMember("name"));
    if (std::string((*parameter)["in"].GetString()) == "path") {
      BOOST_TEST((parameter->HasMember("required") && (*parameter)["required"].IsTrue()),
                 "path parameter " << (*parameter)["name"].GetString() << " must be required");
      names.insert((*parameter)["name"].GetString());
    }
  }
}

// Every "$ref" below `value`, with where it was found.
void collect_refs(const rapidjson::Value& value, const std::string& at,
                  std::vector<std::pair<std::string, std::string>>& refs) {
  if (value.IsObject()) {
    for (const auto& member : value.GetObject()) {
      const std::string name = member.name.GetString();
      if (name == "$ref" && member.value.IsString()) {
        refs.emplace_back(member.value.GetString(), at);
      } else {
        collect_refs(member.value, at + "/" + name, refs);
      }
    }
  } else if (value.IsArray()) {
    for (rapidjson::SizeType i = 0; i < value.Size(); ++i) {
      collect_refs(value[i], at + "/" + std::to_string(i), refs);
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_CASE(document_is_openapi_3_1) {
  const auto document = openapi();
  BOOST_REQUIRE(document.HasMember("openapi") && document["openapi"].IsString());
  BOOST_TEST(std::string(document["openapi"].GetString()).starts_with("3.1."));
}

BOOST_AUTO_TEST_CASE(every_route_is_documented) {
  const auto operations = documented(openapi());
  const auto routes = routed();
  BOOST_TEST(!routes.empty());
  for (const auto& [method, pattern] : routes) {
    BOOST_TEST(operations.contains({method, pattern}), method << " " << pattern << " is missing in openapi.json");
  }
}

BOOST_AUTO_TEST_CASE(every_documented_operation_is_routed_or_answered_by_nginx) {
  const auto routes = routed();
  for (const auto& [method, path] : documented(openapi())) {
    BOOST_TEST((routes.contains({method, path}) || kAnsweredByNginx.contains({method, path})),
               method << " " << path << " is documented but has no route");
  }
}

BOOST_AUTO_TEST_CASE(paths_answered_by_nginx_are_in_its_site_and_not_routed) {
  const std::string site = read_file(FWHUB_SOURCE_DIR "/nginx/fwhub.conf");
  const auto routes = routed();
  const auto operations = documented(openapi());
  for (const auto& [method, path] : kAnsweredByNginx) {
    BOOST_TEST(site.find("location = " + path + " {") != std::string::npos, path << " has no location in fwhub.conf");
    BOOST_TEST(!routes.contains({method, path}), path << " is routed: drop it from kAnsweredByNginx");
    BOOST_TEST(operations.contains({method, path}), method << " " << path << " is missing in openapi.json");
  }
}

BOOST_AUTO_TEST_CASE(path_parameters_match_the_path_templates) {
  const auto document = openapi();
  for (const auto& path : document["paths"].GetObject()) {
    const std::string name = path.name.GetString();
    std::set<std::string> shared;
    add_path_parameters(document, path.value, shared);
    for (const auto& member : path.value.GetObject()) {
      if (!kOperationKeys.contains(member.name.GetString())) {
        continue;
      }
      std::set<std::string> declared = shared;
      add_path_parameters(document, member.value, declared);
      BOOST_TEST(declared == template_names(name), member.name.GetString()
                                                       << " " << name << ": path parameters differ from the path");
    }
  }
}

BOOST_AUTO_TEST_CASE(every_ref_resolves) {
  const auto document = openapi();
  std::vector<std::pair<std::string, std::string>> refs;
  collect_refs(document, "", refs);
  BOOST_TEST(!refs.empty());
  for (const auto& [target, at] : refs) {
    const bool local = target.starts_with("#/");
    BOOST_TEST((local && rapidjson::Pointer(target.substr(1).c_str()).Get(document) != nullptr),
               at << ": $ref " << target << " does not resolve");
  }
}
