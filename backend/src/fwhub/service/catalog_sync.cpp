// Catalog sync algorithm: versions -> targets (sha256sums, signature, profiles.json, Packages) -> feeds.
#include "fwhub/service/catalog_sync.hpp"

#include <spdlog/spdlog.h>

#include <set>

#include "fwhub/common/sha256.hpp"
#include "fwhub/common/usign.hpp"
#include "fwhub/domain/catalog/branches.hpp"

namespace fwhub::service {

using domain::catalog::Fetched;
using domain::catalog::Validators;

namespace {

// The document's sha256 must equal what the signed sha256sums lists for it (when listed).
void check_sum(const std::map<std::string, std::string>& sums, const std::string& name, const std::string& body,
               const std::string& url) {
  const auto it = sums.find(name);
  if (it != sums.end() && it->second != sha256_hex(body)) {
    throw Error(Code::kFailedPrecondition, url + ": sha256 differs from sha256sums");
  }
}

// Parses a document, naming its URL in the error.
template <typename Parse>
auto parse_at(const std::string& url, Parse&& parse) {
  try {
    return std::forward<Parse>(parse)();
  } catch (const Error& error) {
    throw Error(error.code(), url + ": " + error.what());
  }
}

}  // namespace

std::string SyncReport::summary() const {
  std::string text = std::to_string(versions) + " versions, targets " + std::to_string(targets_updated) +
                     " updated / " + std::to_string(targets_unchanged) + " unchanged, feeds " +
                     std::to_string(feeds_updated) + " updated / " + std::to_string(feeds_unchanged) + " unchanged";
  if (!errors.empty()) {
    text += ", " + std::to_string(errors.size()) + " errors (first: " + errors.front() + ")";
  }
  return text;
}

SyncReport CatalogSync::run() {
  SyncReport report;
  const std::string versions_url = upstream_.url(".versions.json");
  const Fetched versions = upstream_.fetch(".versions.json", store_.validators(versions_url).value_or(Validators{}));
  std::string versions_body;
  if (versions.status == 304) {
    versions_body = store_.document(".versions.json").value_or("");
  } else if (versions.status == 200) {
    versions_body = versions.body;
  } else {
    throw Error(Code::kUnavailable, versions_url + ": not found");
  }
  const auto parsed = parse_at(versions_url, [&] { return domain::catalog::parse_versions_file(versions_body); });
  const auto wanted = domain::catalog::wanted_versions(parsed.versions_list, config_.branches);
  for (const auto& version : wanted) {
    try {
      sync_version(version, report);
      ++report.versions;
    } catch (const Error& error) {
      report.errors.emplace_back(error.what());
      spdlog::error("catalog sync: version {}: {}", version, error.what());
    }
  }
  store_.remove_versions_except(wanted);
  if (versions.status == 200) {
    store_.save_document(".versions.json", versions.body);
    store_.save_validators(versions_url, versions.validators);
  }
  if (report.changed()) {
    store_.bump_generation();
  }
  return report;
}

void CatalogSync::sync_version(const std::string& version, SyncReport& report) {
  const BranchConfig* branch = domain::catalog::find_branch(version, config_.branches);
  const std::string path = domain::catalog::version_path(version, config_.branches);
  const std::string targets_path = path + "/.targets.json";
  const std::string targets_url = upstream_.url(targets_path);
  const Fetched targets_doc = upstream_.fetch(targets_path, store_.validators(targets_url).value_or(Validators{}));
  std::map<std::string, std::string> targets;
  if (targets_doc.status == 304) {
    for (const auto& known : store_.targets(version)) {
      targets[known.target] = known.arch;
    }
  } else if (targets_doc.status == 200) {
    targets = parse_at(targets_url, [&] { return domain::catalog::parse_targets_file(targets_doc.body); });
  } else {
    throw Error(Code::kUnavailable, targets_url + ": not found");
  }
  store_.save_version({version, branch->name, path});

  std::vector<std::string> kept;
  std::set<std::string> archs;
  for (const auto& [target, arch] : targets) {
    kept.push_back(target);
    archs.insert(arch);
    try {
      (sync_target(version, path, target, *branch) ? report.targets_updated : report.targets_unchanged)++;
    } catch (const Error& error) {
      report.errors.emplace_back(error.what());
      spdlog::error("catalog sync: {} {}: {}", version, target, error.what());
    }
  }
  store_.remove_targets_except(version, kept);
  sync_feeds(version, path, {archs.begin(), archs.end()}, report);
  if (targets_doc.status == 200) {
    store_.save_validators(targets_url, targets_doc.validators);
  }
}

bool CatalogSync::sync_target(const std::string& version, const std::string& path, const std::string& target,
                              const BranchConfig& branch) {
  const std::string base = path + "/targets/" + target + "/";
  const std::string sums_url = upstream_.url(base + "sha256sums");
  const Fetched sums_doc = upstream_.fetch(base + "sha256sums", store_.validators(sums_url).value_or(Validators{}));
  if (sums_doc.status == 304) {
    return false;
  }
  if (sums_doc.status != 200) {
    throw Error(Code::kUnavailable, sums_url + ": not found");
  }
  if (!branch.signing_key.empty()) {
    const Fetched signature = upstream_.fetch(base + "sha256sums.sig", {});
    if (signature.status != 200) {
      throw Error(Code::kPermissionDenied, upstream_.url(base + "sha256sums.sig") + ": signature missing");
    }
    const Status verified = usign_verify(parse_usign_public_key(branch.signing_key), signature.body, sums_doc.body);
    if (!verified.is_ok()) {
      throw Error(Code::kPermissionDenied, upstream_.url(base + "sha256sums.sig") + ": " + verified.message() +
                                               " (branch " + branch.name + " key)");
    }
  }
  const auto sums = parse_at(sums_url, [&] { return domain::catalog::parse_sha256sums(sums_doc.body); });

  domain::catalog::TargetRecord record;
  record.version = version;
  record.target = target;
  const Fetched profiles = upstream_.fetch(base + "profiles.json", {});
  if (profiles.status != 200) {
    throw Error(Code::kUnavailable, upstream_.url(base + "profiles.json") + ": not found");
  }
  check_sum(sums, "profiles.json", profiles.body, upstream_.url(base + "profiles.json"));
  const auto parsed = parse_at(upstream_.url(base + "profiles.json"),
                               [&] { return domain::catalog::parse_profiles_file(profiles.body); });
  if (parsed.target != target) {
    throw Error(Code::kInvalidArgument,
                upstream_.url(base + "profiles.json") + ": describes " + parsed.target + ", not " + target);
  }
  record.arch = parsed.arch_packages;
  record.version_code = parsed.version_code;
  record.profiles_json = profiles.body;
  record.profiles = parsed.profiles;

  const Fetched packages = upstream_.fetch(base + "packages/Packages", {});
  if (packages.status == 200) {
    check_sum(sums, "packages/Packages", packages.body, upstream_.url(base + "packages/Packages"));
    record.packages = parse_at(upstream_.url(base + "packages/Packages"),
                               [&] { return domain::catalog::parse_packages_index(packages.body); });
  }
  store_.save_target(record);
  store_.save_validators(sums_url, sums_doc.validators);
  return true;
}

void CatalogSync::sync_feeds(const std::string& version, const std::string& path, const std::vector<std::string>& archs,
                             SyncReport& report) {
  for (const auto& arch : archs) {
    for (const auto& feed : config_.feeds) {
      const std::string feed_path = path + "/packages/" + arch + "/" + feed + "/Packages";
      const std::string url = upstream_.url(feed_path);
      try {
        const Fetched index = upstream_.fetch(feed_path, store_.validators(url).value_or(Validators{}));
        if (index.status == 304) {
          ++report.feeds_unchanged;
          continue;
        }
        if (index.status == 404) {
          continue;  // not every feed exists for every architecture
        }
        store_.save_packages(version, "feed:" + arch + "/" + feed,
                             parse_at(url, [&] { return domain::catalog::parse_packages_index(index.body); }));
        store_.save_validators(url, index.validators);
        ++report.feeds_updated;
      } catch (const Error& error) {
        report.errors.emplace_back(error.what());
        spdlog::error("catalog sync: {}", error.what());
      }
    }
  }
}

}  // namespace fwhub::service
