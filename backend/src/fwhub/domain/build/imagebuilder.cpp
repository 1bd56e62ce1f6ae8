// ImageBuilder output parsing, argument composition and result assembly.
#include "fwhub/domain/build/imagebuilder.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/sha256.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::domain::build {
namespace {

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  std::string word;
  while (in >> word) {
    out.push_back(word);
  }
  return out;
}

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\"");
  const auto last = text.find_last_not_of(" \t\r\"");
  return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

// The names in opkg's error lines after `marker`, e.g. "Cannot install package X."
std::vector<std::string> names_after(const std::string& text, const std::string& marker, char end) {
  std::vector<std::string> names;
  std::size_t at = 0;
  while ((at = text.find(marker, at)) != std::string::npos) {
    at += marker.size();
    const auto stop = text.find_first_of(std::string(1, end) + "\n", at);
    std::string name = trim(text.substr(at, stop - at));
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return names;
}

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const auto& item : items) {
    out += out.empty() ? item : separator + item;
  }
  return out;
}

}  // namespace

BuilderInfo parse_make_info(const std::string& output) {
  BuilderInfo info;
  std::istringstream in(output);
  std::string line;
  std::string profile;
  while (std::getline(in, line)) {
    if (line.starts_with("Current Revision:")) {
      info.revision = trim(line.substr(17));
    } else if (line.starts_with("Default Packages:")) {
      info.default_packages = words(line.substr(17));
    } else if (!line.empty() && line.back() == ':' && line.front() != ' ' && line.find(' ') == std::string::npos) {
      profile = line.substr(0, line.size() - 1);
      info.profile_packages[profile];
    } else if (!profile.empty() && trim(line).starts_with("Packages:")) {
      info.profile_packages[profile] = words(trim(line).substr(9));
    }
  }
  return info;
}

int revision_number(const std::string& revision) {
  if (revision.size() < 2 || revision[0] != 'r') {
    return 0;
  }
  int number = 0;
  for (std::size_t i = 1; i < revision.size() && std::isdigit(static_cast<unsigned char>(revision[i])) != 0; ++i) {
    number = number * 10 + (revision[i] - '0');
  }
  return number;
}

std::vector<std::string> package_arguments(const BuildRequest& request, const BuilderInfo& info,
                                           const std::string& profile, const std::vector<PackageChange>& changes) {
  std::vector<std::string> requested = requested_packages(request);
  const int revision = revision_number(info.revision);
  for (const auto& change : changes) {
    if (revision < change.revision) {
      continue;
    }
    auto it = std::find(requested.begin(), requested.end(), change.source);
    if (it != requested.end()) {
      if (change.target.empty()) {
        requested.erase(it);
      } else {
        *it = change.target;
      }
    } else if (change.mandatory && !change.target.empty() &&
               std::find(requested.begin(), requested.end(), change.target) == requested.end()) {
      requested.push_back(change.target);
    }
  }
  if (!request.diff_packages) {
    return requested;
  }
  const std::set<std::string> wanted(requested.begin(), requested.end());
  std::vector<std::string> arguments;
  std::set<std::string> removed;
  std::vector<std::string> base = info.default_packages;
  if (const auto it = info.profile_packages.find(profile); it != info.profile_packages.end()) {
    base.insert(base.end(), it->second.begin(), it->second.end());
  }
  for (const auto& package : base) {
    if (!package.starts_with('-') && !wanted.contains(package) && removed.insert(package).second) {
      arguments.push_back("-" + package);
    }
  }
  arguments.insert(arguments.end(), requested.begin(), requested.end());
  return arguments;
}

std::map<std::string, std::string> parse_manifest(const std::string& output) {
  std::map<std::string, std::string> manifest;
  std::istringstream in(output);
  std::string line;
  while (std::getline(in, line)) {
    const auto separator = line.find(" - ");
    if (separator != std::string::npos && line.find(' ') == separator) {
      manifest[line.substr(0, separator)] = trim(line.substr(separator + 3));
    }
  }
  return manifest;
}

std::string server_error(const std::string& stdout_text, const std::string& stderr_text) {
  const std::string all = stdout_text + "\n" + stderr_text;
  if (all.find("No space left on device") != std::string::npos) {
    return "Error: No space left on device on the build server";
  }
  const auto failed = names_after(all, "opkg_download: Failed to download ", '\n');
  if (!failed.empty()) {
    return "Error: The build server could not download a package index: " + failed.front();
  }
  return "";
}

std::string manifest_error(const std::string& stdout_text, const std::string& stderr_text) {
  if (auto server = server_error(stdout_text, stderr_text); !server.empty()) {
    return server;
  }
  const std::string all = stdout_text + "\n" + stderr_text;
  auto conflicts = names_after(all, "The following packages conflict with ", ':');
  for (const auto& name : names_after(all, "check_conflicts_for: \t", ' ')) {
    if (std::find(conflicts.begin(), conflicts.end(), name) == conflicts.end()) {
      conflicts.push_back(name);
    }
  }
  if (!conflicts.empty()) {
    return "Error: Impossible package selection: conflicts (" + join(conflicts, ", ") + ")";
  }
  auto missing = names_after(all, "Cannot install package ", '.');
  for (const auto& name : names_after(all, "Unknown package '", '\'')) {
    if (std::find(missing.begin(), missing.end(), name) == missing.end()) {
      missing.push_back(name);
    }
  }
  if (!missing.empty()) {
    return "Error: Impossible package selection: missing (" + join(missing, ", ") + ")";
  }
  return "Error: Impossible package selection";
}

std::string check_versions(const std::map<std::string, std::string>& pinned,
                           const std::map<std::string, std::string>& manifest) {
  for (const auto& [name, version] : pinned) {
    const auto it = manifest.find(name);
    if (it == manifest.end()) {
      return "Error: Impossible package selection: missing (" + name + ")";
    }
    if (it->second != version) {
      return "Error: Impossible package selection: " + name + " version not as requested: " + version + " vs. " +
             it->second;
    }
  }
  return "";
}

std::string last_output_line(const std::string& output) {
  constexpr std::size_t kMaxBytes = 200;
  std::size_t end = output.find_last_not_of(" \t\r\n");
  if (end == std::string::npos) {
    return "";
  }
  const std::size_t begin = output.find_last_of('\n', end) + 1;  // npos + 1 == 0
  std::string line = output.substr(begin, std::min(end + 1 - begin, kMaxBytes));
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = '?';
    }
  }
  return line;
}

std::string image_error(const std::string& stdout_text, const std::string& stderr_text) {
  if (auto server = server_error(stdout_text, stderr_text); !server.empty()) {
    return server;
  }
  const std::string all = stdout_text + "\n" + stderr_text;
  if (all.find("is too big") != std::string::npos || all.find("out of space?") != std::string::npos) {
    return "Error: Selected packages exceed device storage";
  }
  return "Error: Error while building firmware. See stdout/stderr";
}

std::string extra_image_name(const std::vector<std::string>& packages) {
  std::vector<std::string> sorted = packages;
  std::sort(sorted.begin(), sorted.end());
  return sha256_hex(join(sorted, " ")).substr(0, 12);
}

std::string build_result(const std::string& profiles_json, const std::string& profile,
                         const std::map<std::string, std::string>& manifest, const std::string& request_hash,
                         const std::vector<std::string>& build_cmd, const std::string& request_json,
                         const std::string& build_at) {
  rapidjson::Document output;
  if (profiles_json.empty() || !parse_json(output, profiles_json).empty() || !output.IsObject()) {
    throw Error(Code::kNotFound, "Error: No JSON file found");
  }
  const auto profiles = output.FindMember("profiles");
  if (profiles == output.MemberEnd() || !profiles->value.IsObject() || !profiles->value.HasMember(profile.c_str())) {
    throw Error(Code::kNotFound, "Error: Profile not found in JSON file");
  }
  rapidjson::Document result;
  result.SetObject();
  auto& allocator = result.GetAllocator();
  for (const auto& member : output.GetObject()) {
    if (std::string_view(member.name.GetString()) != "profiles") {
      result.AddMember(rapidjson::Value(member.name, allocator), rapidjson::Value(member.value, allocator), allocator);
    }
  }
  for (const auto& member : profiles->value[profile.c_str()].GetObject()) {
    result.RemoveMember(member.name.GetString());
    result.AddMember(rapidjson::Value(member.name, allocator), rapidjson::Value(member.value, allocator), allocator);
  }
  rapidjson::Value manifest_value(rapidjson::kObjectType);
  for (const auto& [name, version] : manifest) {
    manifest_value.AddMember(rapidjson::Value(name.c_str(), allocator), rapidjson::Value(version.c_str(), allocator),
                             allocator);
  }
  rapidjson::Value command(rapidjson::kArrayType);
  for (const auto& word : build_cmd) {
    command.PushBack(rapidjson::Value(word.c_str(), allocator), allocator);
  }
  rapidjson::Document request;
  (void)parse_json(request, request_json);  // our own canonical request; null if it ever were not JSON
  result.AddMember("manifest", manifest_value, allocator);
  result.AddMember("id", rapidjson::Value(profile.c_str(), allocator), allocator);
  result.AddMember("bin_dir", rapidjson::Value(request_hash.c_str(), allocator), allocator);
  result.AddMember("build_cmd", command, allocator);
  result.AddMember("request", rapidjson::Value(request, allocator), allocator);
  result.AddMember("build_at", rapidjson::Value(build_at.c_str(), allocator), allocator);
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  result.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace fwhub::domain::build
