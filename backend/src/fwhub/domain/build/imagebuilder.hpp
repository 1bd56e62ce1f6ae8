// The ImageBuilder's protocol: what fwhub passes to `make info|manifest|image` and how it reads
// the answers and errors (OpenWrt's output formats; upstream ASU's error texts).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fwhub/common/config.hpp"
#include "fwhub/domain/build/build_request.hpp"

namespace fwhub::domain::build {

struct BuilderInfo {
  std::string revision;  // "r24012-d8dd03c46f"
  std::vector<std::string> default_packages;
  std::map<std::string, std::vector<std::string>> profile_packages;  // profile id -> device packages
};

// Parses `make info`.
BuilderInfo parse_make_info(const std::string& output);

// 24012 of "r24012-d8dd03c46f"; 0 when there is none.
int revision_number(const std::string& revision);

// The PACKAGES argument: the request's packages after the branch's package changes; with
// diff_packages, "-pkg" first for each default or device package not requested.
std::vector<std::string> package_arguments(const BuildRequest& request, const BuilderInfo& info,
                                           const std::string& profile, const std::vector<PackageChange>& changes);

// `make manifest` lines "name - version".
std::map<std::string, std::string> parse_manifest(const std::string& output);

// A failure of the build server rather than of the request, named as such: a full disk, or a
// package index opkg could not download; "" when the output shows neither.
std::string server_error(const std::string& stdout_text, const std::string& stderr_text);

// ASU's message for a failed `make manifest` (after server_error): conflicts first (opkg then also says it cannot
// install the refused package), else the missing packages.
std::string manifest_error(const std::string& stdout_text, const std::string& stderr_text);

// "" when every pinned version is in the manifest, else ASU's message for the first mismatch.
std::string check_versions(const std::map<std::string, std::string>& pinned,
                           const std::map<std::string, std::string>& manifest);

// The last non-empty line of a step's output for the scheduler's log: control characters
// replaced by '?', at most 200 bytes.
std::string last_output_line(const std::string& output);

// ASU's message for a failed `make info` or `make image` (after server_error).
std::string image_error(const std::string& stdout_text, const std::string& stderr_text);

// EXTRA_IMAGE_NAME: 12 hex digits of the package set.
std::string extra_image_name(const std::vector<std::string>& packages);

// The 200 result: the output profiles.json flattened for the profile, plus manifest, id,
// bin_dir, build_cmd, request and build_at. Throws Error(kNotFound) with ASU's texts when the
// document or the profile is missing.
std::string build_result(const std::string& profiles_json, const std::string& profile,
                         const std::map<std::string, std::string>& manifest, const std::string& request_hash,
                         const std::vector<std::string>& build_cmd, const std::string& request_json,
                         const std::string& build_at);

}  // namespace fwhub::domain::build
