// Build request schema, normalisation and hashing.
#include "fwhub/domain/build/build_request.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <limits>
#include <regex>
#include <set>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/sha256.hpp"
#include "fwhub/common/utf8.hpp"

namespace fwhub::domain::build {
namespace {

using Value = rapidjson::Value;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::array<const char*, 8> kFilesystems = {"squashfs", "ext4",       "ubifs", "erofs",
                                                     "jffs2",    "jffs2-nand", "targz", "cpiogz"};

const std::regex& word_pattern() {  // S
  static const std::regex pattern(R"(^[\w.,-]*$)");
  return pattern;
}

class Checker {
 public:
  Checker(const Value& body, const Limits& limits) : body_(body), limits_(limits) {}

  std::vector<FieldError> errors;

  const Value* field(const char* name) const {
    const auto it = body_.FindMember(name);
    return it == body_.MemberEnd() || it->value.IsNull() ? nullptr : &it->value;
  }

  void add(std::string type, std::vector<std::string> location, std::string message) {
    location.insert(location.begin(), "body");
    errors.push_back({std::move(type), std::move(location), std::move(message)});
  }

  // A string matching `pattern` (nullptr = any), at most max_string characters.
  std::optional<std::string> string(const Value& value, std::vector<std::string> location, const std::regex* pattern,
                                    std::size_t max_length = 0) {
    if (!value.IsString()) {
      add("string_type", std::move(location), "Input should be a valid string");
      return std::nullopt;
    }
    std::string text(value.GetString(), value.GetStringLength());
    if (has_lone_surrogate(text)) {  // upstream: Python takes it in, pydantic refuses it
      add("string_unicode", std::move(location),
          "Input should be a valid string, unable to parse raw data as a unicode string");
      return std::nullopt;
    }
    const std::size_t limit = max_length == 0 ? limits_.max_string : max_length;
    if (text.size() > limit) {
      add("string_too_long", std::move(location),
          "String should have at most " + std::to_string(limit) + " characters");
      return std::nullopt;
    }
    if (pattern != nullptr && !std::regex_match(text, *pattern)) {
      add("string_pattern_mismatch", std::move(location), "String should match pattern");
      return std::nullopt;
    }
    return text;
  }

  std::optional<std::string> string_field(const char* name, const std::regex* pattern, bool required) {
    const Value* value = field(name);
    if (value == nullptr) {
      if (required) {
        add("missing", {name}, "Field required");
      }
      return std::nullopt;
    }
    return string(*value, {name}, pattern);
  }

  template <typename Each>
  void list(const char* name, Each&& each) {
    const Value* value = field(name);
    if (value == nullptr) {
      return;
    }
    if (!value->IsArray()) {
      add("list_type", {name}, "Input should be a valid list");
      return;
    }
    if (value->Size() > limits_.max_packages) {
      add("too_long", {name}, "List should have at most " + std::to_string(limits_.max_packages) + " items");
      return;
    }
    for (rapidjson::SizeType i = 0; i < value->Size(); ++i) {
      each((*value)[i], std::vector<std::string>{name, std::to_string(i)});
    }
  }

  template <typename Each>
  void object(const char* name, Each&& each) {
    const Value* value = field(name);
    if (value == nullptr) {
      return;
    }
    if (!value->IsObject()) {
      add("dict_type", {name}, "Input should be a valid dictionary");
      return;
    }
    if (value->MemberCount() > limits_.max_packages) {
      add("too_long", {name}, "Dictionary should have at most " + std::to_string(limits_.max_packages) + " items");
      return;
    }
    for (const auto& member : value->GetObject()) {
      each(std::string(member.name.GetString(), member.name.GetStringLength()), member.value);
    }
  }

 private:
  const Value& body_;
  const Limits& limits_;
};

void write_string(Writer& w, const std::string& text) {
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

template <typename Map>
void write_map(Writer& w, const Map& map) {
  w.StartObject();
  for (const auto& [key, value] : map) {
    write_string(w, key);
    write_string(w, value);
  }
  w.EndObject();
}

void write_list(Writer& w, const std::vector<std::string>& list) {
  w.StartArray();
  for (const auto& item : list) {
    write_string(w, item);
  }
  w.EndArray();
}

template <typename Optional, typename Fn>
void write_optional(Writer& w, const Optional& value, Fn&& fn) {
  if (value) {
    fn(*value);
  } else {
    w.Null();
  }
}

// Keys in sorted order, so that the text is canonical.
std::string canonical(const BuildRequest& request, const std::string& profile, const std::vector<std::string>& packages,
                      bool for_hash) {
  rapidjson::StringBuffer buffer;
  Writer w(buffer);
  w.StartObject();
  if (!for_hash) {
    w.Key("client");
    write_optional(w, request.client, [&](const std::string& v) { write_string(w, v); });
  }
  w.Key("defaults");
  write_optional(w, request.defaults, [&](const std::string& v) { write_string(w, v); });
  w.Key("diff_packages");
  w.Bool(request.diff_packages);
  w.Key("distro");
  write_string(w, request.distro);
  w.Key("filesystem");
  write_optional(w, request.filesystem, [&](const std::string& v) { write_string(w, v); });
  w.Key("packages");
  write_list(w, packages);
  w.Key("packages_versions");
  write_map(w, request.packages_versions);
  w.Key("profile");
  write_string(w, profile);
  w.Key("repositories");
  write_map(w, request.repositories);
  w.Key("repositories_mode");
  write_string(w, request.repositories_mode);
  w.Key("repository_keys");
  write_list(w, request.repository_keys);
  w.Key("rootfs_size_mb");
  write_optional(w, request.rootfs_size_mb, [&](int v) { w.Int(v); });
  w.Key("target");
  write_string(w, request.target);
  w.Key("version");
  write_string(w, request.version);
  w.Key("version_code");
  write_string(w, request.version_code);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace

ParseResult parse_build_request(std::string_view body, const Limits& limits) {
  ParseResult result;
  rapidjson::Document document;
  // Nesting is bounded (kMaxJsonDepth) and UTF-8 validated.
  if (const std::string reason = body.empty() ? "empty body" : parse_json(document, body); !reason.empty()) {
    result.errors.push_back({"json_invalid", {"body"}, "JSON decode error: " + reason});
    return result;
  }
  if (!document.IsObject()) {
    result.errors.push_back({"model_attributes_type", {"body"}, "Input should be a valid dictionary"});
    return result;
  }
  static const std::regex kTarget(R"(^[\w]*/[\w]*$)");
  static const std::regex kPackageVersion(R"(^[\w+.,~-]*$)");
  static const std::regex kRepositoryName(R"(^[\w.-]+$)");
  static const std::regex kRepositoryUrl(R"(^https?://\S+$)");
  const std::regex* word = &word_pattern();
  Checker check(document, limits);
  BuildRequest request;
  if (auto v = check.string_field("distro", word, false)) {
    request.distro = *v;
  }
  request.version = check.string_field("version", word, true).value_or("");
  if (auto v = check.string_field("version_code", word, false)) {
    request.version_code = *v;
  }
  request.target = check.string_field("target", &kTarget, true).value_or("");
  // ',' becomes '_' on arrival (board names as profiles).
  if (const Value* value = check.field("profile"); value == nullptr) {
    check.add("missing", {"profile"}, "Field required");
  } else if (auto v = check.string(*value, {"profile"}, word)) {
    request.profile = *v;
    std::replace(request.profile.begin(), request.profile.end(), ',', '_');
  }
  check.list("packages", [&](const Value& item, std::vector<std::string> location) {
    if (!item.IsString()) {
      check.add("string_type", std::move(location), "Input should be a valid string");
      return;
    }
    std::string name(item.GetString(), item.GetStringLength());
    if (name.starts_with('+')) {
      name.erase(0, 1);
    }
    const rapidjson::Value stripped(name.c_str(), static_cast<rapidjson::SizeType>(name.size()));
    if (auto v = check.string(stripped, std::move(location), word)) {
      request.packages.push_back(*v);
    }
  });
  check.object("packages_versions", [&](const std::string& name, const Value& version) {
    // Length first: std::regex recurses per character, and a long key would exhaust the stack.
    if (name.size() > limits.max_string || !std::regex_match(name, *word)) {
      check.add("string_pattern_mismatch", {"packages_versions", name}, "String should match pattern");
      return;
    }
    if (auto v = check.string(version, {"packages_versions", name}, &kPackageVersion)) {
      request.packages_versions[name] = *v;
    }
  });
  if (const Value* value = check.field("diff_packages")) {
    if (!value->IsBool()) {
      check.add("bool_type", {"diff_packages"}, "Input should be a valid boolean");
    } else {
      request.diff_packages = value->GetBool();
    }
  }
  if (const Value* value = check.field("defaults")) {
    request.defaults = check.string(*value, {"defaults"}, nullptr, std::numeric_limits<std::size_t>::max());
    if (request.defaults && request.defaults->size() > static_cast<std::size_t>(limits.max_defaults_length)) {
      check.add("string_too_long", {"defaults"},
                "String should have at most " + std::to_string(limits.max_defaults_length) + " characters");
    }
  }
  if (const Value* value = check.field("rootfs_size_mb")) {
    if (!value->IsInt()) {
      check.add("int_type", {"rootfs_size_mb"}, "Input should be a valid integer");
    } else if (value->GetInt() < 1) {
      check.add("greater_than_equal", {"rootfs_size_mb"}, "Input should be greater than or equal to 1");
    } else if (value->GetInt() > limits.max_custom_rootfs_size_mb) {
      check.add("less_than_equal", {"rootfs_size_mb"},
                "Input should be less than or equal to " + std::to_string(limits.max_custom_rootfs_size_mb));
    } else {
      request.rootfs_size_mb = value->GetInt();
    }
  }
  if (const Value* value = check.field("filesystem")) {
    const auto v = check.string(*value, {"filesystem"}, nullptr);
    if (v && std::find(kFilesystems.begin(), kFilesystems.end(), *v) == kFilesystems.end()) {
      check.add("enum", {"filesystem"},
                "Input should be 'squashfs', 'ext4', 'ubifs', 'erofs', 'jffs2', 'jffs2-nand', 'targz' or 'cpiogz'");
    } else if (v) {
      request.filesystem = *v;
    }
  }
  check.object("repositories", [&](const std::string& name, const Value& url) {
    if (name.size() > limits.max_string || !std::regex_match(name, kRepositoryName)) {
      check.add("string_pattern_mismatch", {"repositories", name}, "String should match pattern");
      return;
    }
    if (auto v = check.string(url, {"repositories", name}, &kRepositoryUrl)) {
      request.repositories[name] = *v;
    }
  });
  if (auto v = check.string_field("repositories_mode", nullptr, false)) {
    if (*v != "append" && *v != "replace") {
      check.add("enum", {"repositories_mode"}, "Input should be 'append' or 'replace'");
    } else {
      request.repositories_mode = *v;
    }
  }
  check.list("repository_keys", [&](const Value& item, std::vector<std::string> location) {
    if (auto v = check.string(item, std::move(location), nullptr, 4096)) {
      request.repository_keys.push_back(*v);
    }
  });
  request.client = check.string_field("client", nullptr, false);
  if (!check.errors.empty()) {
    result.errors = std::move(check.errors);
    return result;
  }
  result.request = std::move(request);
  return result;
}

std::string client_from_user_agent(std::string_view user_agent) {
  static const std::regex kAgent(R"(^([\w.-]+) \(([\w.~+-]+)\)$)");
  constexpr std::size_t kMaxAgent = 256;  // bounds std::regex's recursion
  std::cmatch match;
  if (user_agent.size() <= kMaxAgent && std::regex_match(user_agent.begin(), user_agent.end(), match, kAgent)) {
    return match[1].str() + "/" + match[2].str();
  }
  return "unknown/0";
}

std::vector<std::string> requested_packages(const BuildRequest& request) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  if (!request.packages_versions.empty()) {
    for (const auto& [name, version] : request.packages_versions) {
      out.push_back(name);
    }
    return out;
  }
  for (const auto& name : request.packages) {
    if (seen.insert(name).second) {
      out.push_back(name);
    }
  }
  return out;
}

std::string request_hash(const BuildRequest& request, const std::string& mapped_profile) {
  std::vector<std::string> packages = requested_packages(request);
  std::sort(packages.begin(), packages.end());
  return sha256_hex(canonical(request, mapped_profile, packages, true));
}

std::string request_json(const BuildRequest& request, const std::string& mapped_profile) {
  return canonical(request, mapped_profile, requested_packages(request), false);
}

}  // namespace fwhub::domain::build
