// In-memory catalog store and upstream for sync and publisher unit tests.
#pragma once

#include <map>
#include <set>

#include "fwhub/common/sha256.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/ports.hpp"
#include "fwhub/service/catalog_publisher.hpp"

namespace fwhub::testing {

using namespace domain::catalog;

class FakeCatalogStore final : public CatalogStore {
 public:
  std::optional<Validators> validators(const std::string& url) override {
    const auto it = validators_.find(url);
    return it == validators_.end() ? std::nullopt : std::optional(it->second);
  }
  void save_validators(const std::string& url, const Validators& v) override { validators_[url] = v; }
  std::optional<std::string> document(const std::string& name) override {
    const auto it = documents.find(name);
    return it == documents.end() ? std::nullopt : std::optional(it->second);
  }
  void save_document(const std::string& name, const std::string& body) override { documents[name] = body; }
  void save_version(const VersionRecord& version) override { versions_[version.version] = version; }
  void remove_versions_except(const std::vector<std::string>& keep) override {
    const std::set<std::string> kept(keep.begin(), keep.end());
    std::erase_if(versions_, [&](const auto& entry) { return !kept.contains(entry.first); });
    std::erase_if(targets_, [&](const auto& entry) { return !kept.contains(entry.first.first); });
  }
  std::vector<VersionRecord> versions() override {
    std::vector<VersionRecord> out;
    for (const auto& [name, version] : versions_) {
      out.push_back(version);
    }
    return out;
  }
  std::vector<TargetSummary> targets(const std::string& version) override {
    std::vector<TargetSummary> out;
    for (const auto& [key, target] : targets_) {
      if (key.first == version) {
        out.push_back({target.target, target.arch, target.version_code});
      }
    }
    return out;
  }
  void save_target(const TargetRecord& target) override {
    targets_[{target.version, target.target}] = target;
    ++saved_targets;
  }
  void remove_targets_except(const std::string& version, const std::vector<std::string>& keep) override {
    const std::set<std::string> kept(keep.begin(), keep.end());
    std::erase_if(targets_, [&](const auto& entry) {
      return entry.first.first == version && !kept.contains(entry.first.second);
    });
  }
  std::optional<std::string> profiles_json(const std::string& version, const std::string& target) override {
    const auto it = targets_.find({version, target});
    return it == targets_.end() ? std::nullopt : std::optional(it->second.profiles_json);
  }
  void save_packages(const std::string& version, const std::string& scope,
                     const std::vector<PackageEntry>& packages) override {
    auto& stored = packages_[{version, scope}];
    stored.clear();
    for (const auto& package : packages) {
      stored[package.name] = package.version;
    }
  }
  std::map<std::string, std::string> packages(const std::string& version, const std::string& scope_prefix) override {
    std::map<std::string, std::string> out;
    for (const auto& [key, entries] : packages_) {
      if (key.first == version && key.second.starts_with(scope_prefix)) {
        out.insert(entries.begin(), entries.end());
      }
    }
    for (const auto& [key, target] : targets_) {
      if (key.first == version && ("target:" + target.target).starts_with(scope_prefix)) {
        for (const auto& package : target.packages) {
          out[package.name] = package.version;
        }
      }
    }
    return out;
  }
  long generation() override { return generation_; }
  void bump_generation() override { ++generation_; }

  std::map<std::string, std::string> documents;
  int saved_targets = 0;

 private:
  std::map<std::string, Validators> validators_;
  std::map<std::string, VersionRecord> versions_;
  std::map<std::pair<std::string, std::string>, TargetRecord> targets_;
  std::map<std::pair<std::string, std::string>, std::map<std::string, std::string>> packages_;
  long generation_ = 0;
};

// Serves files from a map; ETag = sha256 of the body; counts full transfers.
class FakeUpstream final : public Upstream {
 public:
  Fetched fetch(const std::string& path, const Validators& validators) override {
    if (down) {
      throw Error(Code::kUnavailable, url(path) + ": Connection refused");
    }
    const auto it = files.find(path);
    if (it == files.end()) {
      return {404, "", {}};
    }
    const std::string etag = "\"" + sha256_hex(it->second).substr(0, 16) + "\"";
    if (!validators.etag.empty() && validators.etag == etag) {
      return {304, "", {etag, ""}};
    }
    ++bodies_sent;
    return {200, it->second, {etag, ""}};
  }
  [[nodiscard]] std::string url(const std::string& path) const override { return "http://mirror/" + path; }

  std::map<std::string, std::string> files;
  int bodies_sent = 0;
  bool down = false;
};

// Keeps what the publisher wrote, by path.
class MemorySink final : public service::DocumentSink {
 public:
  std::optional<long> published_generation() override { return published; }
  void begin(long generation) override {
    pending.clear();
    building = generation;
  }
  void write(const std::string& path, const std::string& content) override { pending[path] = content; }
  void commit() override {
    files = pending;
    published = building;
  }

  std::map<std::string, std::string> files;
  std::map<std::string, std::string> pending;
  std::optional<long> published;
  long building = 0;
};

}  // namespace fwhub::testing
