// Parsers of the documents OpenWrt's download server publishes: .versions.json, .targets.json,
// profiles.json, sha256sums and opkg Packages indexes. Pure functions; malformed input throws
// Error(kInvalidArgument) naming the document and the problem.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fwhub::domain::catalog {

struct VersionsFile {
  std::string stable_version;
  std::string oldstable_version;
  std::string upcoming_version;  // "" when there is none
  std::vector<std::string> versions_list;
};
VersionsFile parse_versions_file(std::string_view json);

// .targets.json: {"ath79/generic": "mips_24kc", ...}
std::map<std::string, std::string> parse_targets_file(std::string_view json);

struct ProfileSummary {
  std::string id;
  std::string titles_json;                     // the profile's "titles" array, as JSON
  std::vector<std::string> supported_devices;  // board names
};

struct ProfilesFile {
  std::string target;         // "ath79/generic"
  std::string arch_packages;  // "mips_24kc"
  std::string version_code;   // "r24012-d8dd03c46f"
  std::string version_number;
  std::vector<ProfileSummary> profiles;
};
ProfilesFile parse_profiles_file(std::string_view json);

// "<sha256> *<file>" lines (also "<sha256>  <file>"); file names relative to the folder.
std::map<std::string, std::string> parse_sha256sums(std::string_view text);

struct PackageEntry {
  std::string name;  // ABI suffix removed: libubus20230605 with ABIVersion 20230605 -> libubus
  std::string version;
};
// RFC822-style stanzas separated by blank lines; a stanza without Package or Version is an error.
std::vector<PackageEntry> parse_packages_index(std::string_view text);

}  // namespace fwhub::domain::catalog
