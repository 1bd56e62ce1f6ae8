// A build request of the ASU API: parsing with the upstream schema's rules (errors per field),
// normalisation, and the request hash that identifies a build.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fwhub::domain::build {

struct BuildRequest {
  std::string distro = "openwrt";
  std::string version;
  std::string version_code;
  std::string target;                 // "ath79/generic"
  std::string profile;                // ',' already replaced by '_'
  std::vector<std::string> packages;  // user order, '+' stripped; "-pkg" removes
  std::map<std::string, std::string> packages_versions;
  bool diff_packages = false;
  std::optional<std::string> defaults;
  std::optional<int> rootfs_size_mb;
  std::optional<std::string> filesystem;
  std::map<std::string, std::string> repositories;
  std::string repositories_mode = "replace";
  std::vector<std::string> repository_keys;
  std::optional<std::string> client;
};

// One schema violation, in upstream's (pydantic's) terms.
struct FieldError {
  std::string type;                   // "missing", "string_type", "string_pattern_mismatch", ...
  std::vector<std::string> location;  // {"body", "packages", "3"}
  std::string message;                // "Field required"
};

struct Limits {
  int max_defaults_length = 20480;
  int max_custom_rootfs_size_mb = 1024;
  std::size_t max_packages = 4096;  // entries of packages / packages_versions
  std::size_t max_string = 512;     // characters of any other string
};

struct ParseResult {
  std::optional<BuildRequest> request;
  std::vector<FieldError> errors;  // non-empty when request is empty
};

// Parses a request body. Not JSON (or not valid UTF-8, or nested beyond reason) is one error at
// {"body"}; otherwise every field violation is listed (a string escaping a lone low surrogate is
// "string_unicode" at its field, as upstream).
ParseResult parse_build_request(std::string_view body, const Limits& limits);

// "auc (0.3.2)" -> "auc/0.3.2"; anything else -> "unknown/0".
std::string client_from_user_agent(std::string_view user_agent);

// The packages the build asks for after packages_versions replaced them (user order kept,
// duplicates dropped).
std::vector<std::string> requested_packages(const BuildRequest& request);

// sha256 over the canonical form of the normalised request, with the profile as mapped by the
// catalog. Package order and duplicates do not change it.
std::string request_hash(const BuildRequest& request, const std::string& mapped_profile);

// The canonical JSON form of the validated request, as returned in build results ("request").
std::string request_json(const BuildRequest& request, const std::string& mapped_profile);

}  // namespace fwhub::domain::build
