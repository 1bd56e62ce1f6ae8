// Parsing of upstream catalog documents with RapidJSON and plain string scanning.
#include "fwhub/domain/catalog/upstream_documents.hpp"

#include <rapidjson/document.h>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <algorithm>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::domain::catalog {
namespace {

[[noreturn]] void malformed(const std::string& document, const std::string& what) {
  throw Error(Code::kInvalidArgument, document + ": " + what);
}

rapidjson::Document parse_json(std::string_view json, const std::string& document) {
  rapidjson::Document parsed;
  if (const std::string reason = fwhub::parse_json(parsed, json); !reason.empty()) {
    malformed(document, "not valid JSON (" + reason + ")");
  }
  if (!parsed.IsObject()) {
    malformed(document, "expected a JSON object");
  }
  return parsed;
}

std::string string_member(const rapidjson::Value& object, const char* key, const std::string& document, bool required) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) {
    if (required) {
      malformed(document, std::string("missing \"") + key + "\"");
    }
    return "";
  }
  if (!it->value.IsString()) {
    malformed(document, std::string("\"") + key + "\" must be a string");
  }
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

bool is_hex64(std::string_view text) {
  return text.size() == 64 && text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

VersionsFile parse_versions_file(std::string_view json) {
  const std::string document = ".versions.json";
  const auto parsed = parse_json(json, document);
  VersionsFile file;
  file.stable_version = string_member(parsed, "stable_version", document, true);
  file.oldstable_version = string_member(parsed, "oldstable_version", document, false);
  file.upcoming_version = string_member(parsed, "upcoming_version", document, false);
  const auto list = parsed.FindMember("versions_list");
  if (list == parsed.MemberEnd() || !list->value.IsArray()) {
    malformed(document, "\"versions_list\" must be an array");
  }
  for (const auto& version : list->value.GetArray()) {
    if (!version.IsString()) {
      malformed(document, "\"versions_list\" must hold strings");
    }
    file.versions_list.emplace_back(version.GetString(), version.GetStringLength());
  }
  return file;
}

std::map<std::string, std::string> parse_targets_file(std::string_view json) {
  const std::string document = ".targets.json";
  const auto parsed = parse_json(json, document);
  std::map<std::string, std::string> targets;
  for (const auto& member : parsed.GetObject()) {
    const std::string target(member.name.GetString(), member.name.GetStringLength());
    if (!member.value.IsString() || std::count(target.begin(), target.end(), '/') != 1) {
      malformed(document, "entries must be \"target/subtarget\": \"arch\"");
    }
    targets[target] = std::string(member.value.GetString(), member.value.GetStringLength());
  }
  return targets;
}

ProfilesFile parse_profiles_file(std::string_view json) {
  const std::string document = "profiles.json";
  const auto parsed = parse_json(json, document);
  ProfilesFile file;
  file.target = string_member(parsed, "target", document, true);
  file.arch_packages = string_member(parsed, "arch_packages", document, true);
  file.version_code = string_member(parsed, "version_code", document, true);
  file.version_number = string_member(parsed, "version_number", document, true);
  const auto profiles = parsed.FindMember("profiles");
  if (profiles == parsed.MemberEnd() || !profiles->value.IsObject()) {
    malformed(document, "\"profiles\" must be an object");
  }
  for (const auto& member : profiles->value.GetObject()) {
    if (!member.value.IsObject()) {
      malformed(document, "profile entries must be objects");
    }
    ProfileSummary profile;
    profile.id.assign(member.name.GetString(), member.name.GetStringLength());
    const auto titles = member.value.FindMember("titles");
    profile.titles_json = titles != member.value.MemberEnd() && titles->value.IsArray() ? to_json(titles->value) : "[]";
    const auto devices = member.value.FindMember("supported_devices");
    if (devices != member.value.MemberEnd()) {
      if (!devices->value.IsArray()) {
        malformed(document, "\"supported_devices\" of " + profile.id + " must be an array");
      }
      for (const auto& device : devices->value.GetArray()) {
        if (device.IsString()) {
          profile.supported_devices.emplace_back(device.GetString(), device.GetStringLength());
        }
      }
    }
    file.profiles.push_back(std::move(profile));
  }
  return file;
}

std::map<std::string, std::string> parse_sha256sums(std::string_view text) {
  std::map<std::string, std::string> sums;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (line.empty()) {
      continue;
    }
    const auto space = line.find(' ');
    if (space == std::string_view::npos || !is_hex64(line.substr(0, space))) {
      malformed("sha256sums", "malformed line: " + std::string(line.substr(0, 80)));
    }
    std::string_view file = line.substr(space);
    while (!file.empty() && (file.front() == ' ' || file.front() == '*')) {
      file.remove_prefix(1);
    }
    sums[std::string(file)] = std::string(line.substr(0, space));
  }
  return sums;
}

std::vector<PackageEntry> parse_packages_index(std::string_view text) {
  std::vector<PackageEntry> entries;
  std::string name;
  std::string version;
  std::string abi;
  bool in_stanza = false;
  const auto finish = [&] {
    if (!in_stanza) {
      return;
    }
    if (name.empty() || version.empty()) {
      malformed("Packages", "a stanza lacks Package or Version" + (name.empty() ? "" : " (" + name + ")"));
    }
    if (!abi.empty() && name.size() > abi.size() && name.ends_with(abi)) {
      std::string base = name.substr(0, name.size() - abi.size());
      if (base.ends_with('-')) {
        base.pop_back();
      }
      if (!base.empty()) {  // "-5" with ABIVersion 5 keeps its name (found by fuzzing)
        name = std::move(base);
      }
    }
    entries.push_back({name, version});
    name.clear();
    version.clear();
    abi.clear();
    in_stanza = false;
  };
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.empty()) {
      finish();
      continue;
    }
    in_stanza = true;
    if (line.front() == ' ' || line.front() == '\t') {
      continue;  // continuation of a multi-line field (Description)
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      malformed("Packages", "line without a field name: " + std::string(line.substr(0, 80)));
    }
    const std::string_view field = line.substr(0, colon);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    if (field == "Package") {
      name = value;
    } else if (field == "Version") {
      version = value;
    } else if (field == "ABIVersion") {
      abi = value;
    }
  }
  finish();
  return entries;
}

}  // namespace fwhub::domain::catalog
