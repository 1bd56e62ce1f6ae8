// Branch and path rules of OpenWrt versions.
#include "fwhub/domain/catalog/branches.hpp"

namespace fwhub::domain::catalog {

std::string branch_of(const std::string& version, const std::vector<BranchConfig>& branches) {
  for (const auto& branch : branches) {
    if (branch.snapshot && branch.name == version) {
      return version;
    }
  }
  const std::string suffix = "-SNAPSHOT";
  if (version.size() > suffix.size() && version.ends_with(suffix)) {
    return version.substr(0, version.size() - suffix.size());
  }
  const auto dot = version.rfind('.');
  return dot == std::string::npos ? version : version.substr(0, dot);
}

const BranchConfig* find_branch(const std::string& version, const std::vector<BranchConfig>& branches) {
  const std::string name = branch_of(version, branches);
  for (const auto& branch : branches) {
    if (branch.name == name && branch.enabled) {
      return &branch;
    }
  }
  return nullptr;
}

std::string version_path(const std::string& version, const std::vector<BranchConfig>& branches) {
  const BranchConfig* branch = find_branch(version, branches);
  if (branch != nullptr && branch->snapshot) {
    return "snapshots";
  }
  return "releases/" + version;
}

std::vector<std::string> wanted_versions(const std::vector<std::string>& upstream_versions,
                                         const std::vector<BranchConfig>& branches) {
  std::vector<std::string> wanted;
  for (const auto& branch : branches) {
    if (branch.enabled && branch.snapshot) {
      wanted.push_back(branch.name);
    }
  }
  for (const auto& version : upstream_versions) {
    const BranchConfig* branch = find_branch(version, branches);
    if (branch != nullptr && !branch->snapshot) {
      wanted.push_back(version);
    }
  }
  return wanted;
}

}  // namespace fwhub::domain::catalog
