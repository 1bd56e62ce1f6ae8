// Versions and branches: which branch a version belongs to, and where its files live upstream.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "fwhub/common/config.hpp"

namespace fwhub::domain::catalog {

// "23.05.4" -> "23.05", "23.05.0-rc1" -> "23.05", "23.05-SNAPSHOT" -> "23.05",
// "SNAPSHOT" -> "SNAPSHOT" (any version that is itself a configured snapshot branch).
std::string branch_of(const std::string& version, const std::vector<BranchConfig>& branches);

// The enabled branch of a version, if configured.
const BranchConfig* find_branch(const std::string& version, const std::vector<BranchConfig>& branches);

// "releases/23.05.4" or "snapshots" (a snapshot branch).
std::string version_path(const std::string& version, const std::vector<BranchConfig>& branches);

// Versions to serve: every upstream release of each enabled release branch, plus each enabled
// snapshot branch as a version of its own.
std::vector<std::string> wanted_versions(const std::vector<std::string>& upstream_versions,
                                         const std::vector<BranchConfig>& branches);

}  // namespace fwhub::domain::catalog
