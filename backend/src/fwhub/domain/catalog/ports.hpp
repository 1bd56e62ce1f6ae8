// What catalog sync and publishing need from the outside: the upstream download server
// (sys::HttpUpstream) and storage (db::CatalogRepository).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "fwhub/domain/catalog/upstream_documents.hpp"

namespace fwhub::domain::catalog {

struct Validators {
  std::string etag;
  std::string last_modified;
};

struct Fetched {
  int status = 0;  // 200, 304 (not modified) or 404
  std::string body;
  Validators validators;
};

class Upstream {
 public:
  virtual ~Upstream() = default;
  // GET base_url/path, conditional when `validators` hold anything. Other statuses and transport
  // failures throw Error(kUnavailable) naming the URL.
  virtual Fetched fetch(const std::string& path, const Validators& validators) = 0;
  [[nodiscard]] virtual std::string url(const std::string& path) const = 0;
};

struct TargetRecord {
  std::string version;
  std::string target;  // "ath79/generic"
  std::string arch;
  std::string version_code;
  std::string profiles_json;  // upstream profiles.json as received (verified)
  std::vector<ProfileSummary> profiles;
  std::vector<PackageEntry> packages;  // the target's own feed (kmods)
};

struct VersionRecord {
  std::string version;
  std::string branch;
  std::string path;
};

struct TargetSummary {
  std::string target;
  std::string arch;
  std::string version_code;
};

class CatalogStore {
 public:
  virtual ~CatalogStore() = default;
  // Conditional-request validators of an upstream URL, saved once its document was processed.
  virtual std::optional<Validators> validators(const std::string& url) = 0;
  virtual void save_validators(const std::string& url, const Validators& validators) = 0;
  // Small documents kept verbatim (".versions.json").
  virtual std::optional<std::string> document(const std::string& name) = 0;
  virtual void save_document(const std::string& name, const std::string& body) = 0;

  virtual void save_version(const VersionRecord& version) = 0;
  virtual void remove_versions_except(const std::vector<std::string>& keep) = 0;
  virtual std::vector<VersionRecord> versions() = 0;
  virtual std::vector<TargetSummary> targets(const std::string& version) = 0;
  virtual void save_target(const TargetRecord& target) = 0;  // atomically replaces the target
  virtual void remove_targets_except(const std::string& version, const std::vector<std::string>& keep) = 0;
  virtual std::optional<std::string> profiles_json(const std::string& version, const std::string& target) = 0;
  // scope: "target:ath79/generic" or "feed:mips_24kc/base"
  virtual void save_packages(const std::string& version, const std::string& scope,
                             const std::vector<PackageEntry>& packages) = 0;
  virtual std::map<std::string, std::string> packages(const std::string& version, const std::string& scope_prefix) = 0;
  // Bumped whenever stored catalog content changes; published files carry it.
  virtual long generation() = 0;
  virtual void bump_generation() = 0;
};

}  // namespace fwhub::domain::catalog
