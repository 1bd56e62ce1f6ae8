// SQL of the catalog tables, as named constants, and its execution.
#include "fwhub/db/catalog_repository.hpp"

#include <cppconn/statement.h>

#include <algorithm>
#include <array>

#include "fwhub/db/batch_insert.hpp"

namespace fwhub::db {
namespace {

constexpr const char* kSelectValidators = "SELECT etag, last_modified FROM upstream_validators WHERE url = ?";
constexpr const char* kUpsertValidators =
    "INSERT INTO upstream_validators (url, etag, last_modified) VALUES (?, ?, ?)"
    " ON DUPLICATE KEY UPDATE etag = VALUES(etag), last_modified = VALUES(last_modified)";
constexpr const char* kSelectDocument = "SELECT body FROM catalog_documents WHERE name = ?";
constexpr const char* kUpsertDocument =
    "INSERT INTO catalog_documents (name, body) VALUES (?, ?) ON DUPLICATE KEY UPDATE body = VALUES(body)";
constexpr const char* kUpsertVersion =
    "INSERT INTO catalog_versions (version, branch, path) VALUES (?, ?, ?)"
    " ON DUPLICATE KEY UPDATE branch = VALUES(branch), path = VALUES(path)";
constexpr const char* kSelectVersions = "SELECT version, branch, path FROM catalog_versions ORDER BY version DESC";
constexpr const char* kSelectTargets =
    "SELECT target, arch, version_code FROM catalog_targets WHERE version = ? ORDER BY target";
constexpr const char* kUpsertTarget =
    "INSERT INTO catalog_targets (version, target, arch, version_code, profiles_json) VALUES (?, ?, ?, ?, ?)"
    " ON DUPLICATE KEY UPDATE arch = VALUES(arch), version_code = VALUES(version_code),"
    " profiles_json = VALUES(profiles_json)";
constexpr const char* kDeleteProfiles = "DELETE FROM catalog_profiles WHERE version = ? AND target = ?";
constexpr const char* kDeleteBoardNames = "DELETE FROM catalog_board_names WHERE version = ? AND target = ?";
constexpr const char* kInsertProfiles = "INSERT INTO catalog_profiles (version, target, profile, titles)";
constexpr const char* kInsertBoardNames = "INSERT IGNORE INTO catalog_board_names (version, target, name, profile)";
constexpr const char* kDeletePackages = "DELETE FROM catalog_packages WHERE version = ? AND scope = ?";
constexpr const char* kInsertPackages = "INSERT INTO catalog_packages (version, scope, name, pkg_version)";
constexpr const char* kSelectProfilesJson =
    "SELECT profiles_json FROM catalog_targets WHERE version = ? AND target = ?";
constexpr const char* kSelectPackages =
    "SELECT name, pkg_version FROM catalog_packages WHERE version = ? AND scope LIKE CONCAT(?, '%')";
constexpr const char* kSelectGeneration = "SELECT generation FROM catalog_state WHERE id = 1";
constexpr const char* kBumpGeneration = "UPDATE catalog_state SET generation = generation + 1 WHERE id = 1";
constexpr const char* kHasVersion = "SELECT 1 FROM catalog_versions WHERE version = ?";
constexpr const char* kSelectVersionCode = "SELECT version_code FROM catalog_targets WHERE version = ? AND target = ?";
constexpr const char* kFindProfile =
    "SELECT profile FROM catalog_board_names WHERE version = ? AND target = ? AND name = ?";

constexpr const char* kProfilesOfTarget =
    "SELECT profiles_json FROM catalog_targets WHERE target = ? ORDER BY version DESC";
constexpr const char* kOnlyGeneric =
    "SELECT COUNT(*) = 1 AND MAX(profile) = 'generic' FROM catalog_profiles WHERE version = ? AND target = ?";
// Packages of the target's own feed and of every feed of its architecture.
constexpr const char* kKnownPackages =
    "SELECT DISTINCT p.name FROM catalog_packages p JOIN catalog_targets t ON t.version = p.version"
    " WHERE p.version = ? AND t.target = ? AND (p.scope = CONCAT('target:', t.target)"
    " OR p.scope LIKE CONCAT('feed:', t.arch, '/%')) AND p.name IN ";
// At most one early sync a minute: only a periodic job that is not due within 60 s is moved.
constexpr const char* kRequestRefresh =
    "UPDATE jobs SET run_at = NOW(3) WHERE active_key = 'periodic:catalog_sync' AND state = 'queued'"
    " AND run_at > NOW(3) + INTERVAL 60 SECOND";

// Tables whose rows belong to one version, for removals.
constexpr std::array<const char*, 5> kVersionTables = {"catalog_targets", "catalog_profiles", "catalog_board_names",
                                                       "catalog_packages", "catalog_versions"};
constexpr std::array<const char*, 3> kTargetTables = {"catalog_targets", "catalog_profiles", "catalog_board_names"};

std::optional<std::string> single_string(Connection& c, const char* sql, const std::vector<std::string>& args) {
  auto select = c.prepare(sql);
  for (std::size_t i = 0; i < args.size(); ++i) {
    select->setString(static_cast<unsigned int>(i + 1), args[i]);
  }
  std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
  if (!rows->next()) {
    return std::nullopt;
  }
  return std::string(rows->getString(1));
}

// "version NOT IN (?, ?, ...)" or "TRUE" for an empty list.
std::string not_in(const char* column, std::size_t count) {
  if (count == 0) {
    return "TRUE";
  }
  return std::string(column) + " NOT IN (" + placeholders(count) + ")";
}

}  // namespace

std::optional<domain::catalog::Validators> CatalogRepository::validators(const std::string& url) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<domain::catalog::Validators> {
    auto select = c.prepare(kSelectValidators);
    select->setString(1, url);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    return domain::catalog::Validators{rows->getString(1), rows->getString(2)};
  });
}

void CatalogRepository::save_validators(const std::string& url, const domain::catalog::Validators& validators) {
  with_connection(connection_, [&](Connection& c) {
    auto upsert = c.prepare(kUpsertValidators);
    upsert->setString(1, url);
    upsert->setString(2, validators.etag);
    upsert->setString(3, validators.last_modified);
    upsert->executeUpdate();
  });
}

std::optional<std::string> CatalogRepository::document(const std::string& name) {
  return with_connection(connection_, [&](Connection& c) { return single_string(c, kSelectDocument, {name}); });
}

void CatalogRepository::save_document(const std::string& name, const std::string& body) {
  with_connection(connection_, [&](Connection& c) {
    auto upsert = c.prepare(kUpsertDocument);
    upsert->setString(1, name);
    upsert->setString(2, body);
    upsert->executeUpdate();
  });
}

void CatalogRepository::save_version(const domain::catalog::VersionRecord& version) {
  with_connection(connection_, [&](Connection& c) {
    auto upsert = c.prepare(kUpsertVersion);
    upsert->setString(1, version.version);
    upsert->setString(2, version.branch);
    upsert->setString(3, version.path);
    upsert->executeUpdate();
  });
}

void CatalogRepository::remove_versions_except(const std::vector<std::string>& keep) {
  with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    for (const char* table : kVersionTables) {
      auto remove = c.prepare(std::string("DELETE FROM ") + table + " WHERE " + not_in("version", keep.size()));
      for (std::size_t i = 0; i < keep.size(); ++i) {
        remove->setString(static_cast<unsigned int>(i + 1), keep[i]);
      }
      remove->executeUpdate();
    }
    transaction.commit();
  });
}

std::vector<domain::catalog::VersionRecord> CatalogRepository::versions() {
  return with_connection(connection_, [&](Connection& c) {
    std::vector<domain::catalog::VersionRecord> out;
    std::unique_ptr<sql::Statement> statement(c.get().createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(kSelectVersions));
    while (rows->next()) {
      out.push_back({rows->getString(1), rows->getString(2), rows->getString(3)});
    }
    return out;
  });
}

std::vector<domain::catalog::TargetSummary> CatalogRepository::targets(const std::string& version) {
  return with_connection(connection_, [&](Connection& c) {
    std::vector<domain::catalog::TargetSummary> out;
    auto select = c.prepare(kSelectTargets);
    select->setString(1, version);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    while (rows->next()) {
      out.push_back({rows->getString(1), rows->getString(2), rows->getString(3)});
    }
    return out;
  });
}

void CatalogRepository::save_target(const domain::catalog::TargetRecord& target) {
  std::vector<std::vector<std::string>> profiles;
  std::vector<std::vector<std::string>> names;
  for (const auto& profile : target.profiles) {
    profiles.push_back({target.version, target.target, profile.id, profile.titles_json});
    names.push_back({target.version, target.target, profile.id, profile.id});
    for (const auto& device : profile.supported_devices) {
      names.push_back({target.version, target.target, device, profile.id});
      std::string underscored = device;
      std::replace(underscored.begin(), underscored.end(), ',', '_');
      if (underscored != device) {
        names.push_back({target.version, target.target, underscored, profile.id});
      }
    }
  }
  std::vector<std::vector<std::string>> packages;
  packages.reserve(target.packages.size());
  for (const auto& package : target.packages) {
    packages.push_back({target.version, "target:" + target.target, package.name, package.version});
  }
  with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    auto upsert = c.prepare(kUpsertTarget);
    upsert->setString(1, target.version);
    upsert->setString(2, target.target);
    upsert->setString(3, target.arch);
    upsert->setString(4, target.version_code);
    upsert->setString(5, target.profiles_json);
    upsert->executeUpdate();
    for (const char* sql : {kDeleteProfiles, kDeleteBoardNames}) {
      auto remove = c.prepare(sql);
      remove->setString(1, target.version);
      remove->setString(2, target.target);
      remove->executeUpdate();
    }
    batch_insert(c, kInsertProfiles, 4, profiles);
    batch_insert(c, kInsertBoardNames, 4, names);
    auto remove = c.prepare(kDeletePackages);
    remove->setString(1, target.version);
    remove->setString(2, "target:" + target.target);
    remove->executeUpdate();
    batch_insert(c, kInsertPackages, 4, packages);
    transaction.commit();
  });
}

void CatalogRepository::remove_targets_except(const std::string& version, const std::vector<std::string>& keep) {
  with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    for (const char* table : kTargetTables) {
      auto remove =
          c.prepare(std::string("DELETE FROM ") + table + " WHERE version = ? AND " + not_in("target", keep.size()));
      remove->setString(1, version);
      for (std::size_t i = 0; i < keep.size(); ++i) {
        remove->setString(static_cast<unsigned int>(i + 2), keep[i]);
      }
      remove->executeUpdate();
    }
    transaction.commit();
  });
}

std::optional<std::string> CatalogRepository::profiles_json(const std::string& version, const std::string& target) {
  return with_connection(connection_, [&](Connection& c) {
    return single_string(c, kSelectProfilesJson, {version, target});
  });
}

void CatalogRepository::save_packages(const std::string& version, const std::string& scope,
                                      const std::vector<domain::catalog::PackageEntry>& packages) {
  std::vector<std::vector<std::string>> rows;
  rows.reserve(packages.size());
  for (const auto& package : packages) {
    rows.push_back({version, scope, package.name, package.version});
  }
  with_connection(connection_, [&](Connection& c) {
    Transaction transaction(c);
    auto remove = c.prepare(kDeletePackages);
    remove->setString(1, version);
    remove->setString(2, scope);
    remove->executeUpdate();
    batch_insert(c, std::string(kInsertPackages), 4, rows);
    transaction.commit();
  });
}

std::map<std::string, std::string> CatalogRepository::packages(const std::string& version,
                                                               const std::string& scope_prefix) {
  return with_connection(connection_, [&](Connection& c) {
    std::map<std::string, std::string> out;
    auto select = c.prepare(kSelectPackages);
    select->setString(1, version);
    select->setString(2, scope_prefix);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    while (rows->next()) {
      out.emplace(rows->getString(1), rows->getString(2));
    }
    return out;
  });
}

long CatalogRepository::generation() {
  return with_connection(connection_, [&](Connection& c) {
    std::unique_ptr<sql::Statement> statement(c.get().createStatement());
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery(kSelectGeneration));
    return rows->next() ? static_cast<long>(rows->getInt64(1)) : 0L;
  });
}

void CatalogRepository::bump_generation() {
  with_connection(connection_, [&](Connection& c) {
    std::unique_ptr<sql::Statement> statement(c.get().createStatement());
    statement->executeUpdate(kBumpGeneration);
  });
}

bool CatalogRepository::has_version(const std::string& version) {
  return with_connection(connection_,
                         [&](Connection& c) { return single_string(c, kHasVersion, {version}).has_value(); });
}

std::optional<std::string> CatalogRepository::version_code(const std::string& version, const std::string& target) {
  return with_connection(connection_, [&](Connection& c) {
    return single_string(c, kSelectVersionCode, {version, target});
  });
}

std::optional<std::string> CatalogRepository::find_profile(const std::string& version, const std::string& target,
                                                           const std::string& name) {
  return with_connection(connection_, [&](Connection& c) {
    return single_string(c, kFindProfile, {version, target, name});
  });
}

bool CatalogRepository::only_generic_profile(const std::string& version, const std::string& target) {
  return with_connection(connection_, [&](Connection& c) {
    return single_string(c, kOnlyGeneric, {version, target}) == "1";
  });
}

std::set<std::string> CatalogRepository::known_packages(const std::string& version, const std::string& target,
                                                        const std::vector<std::string>& names) {
  std::set<std::string> known;
  if (names.empty()) {
    return known;
  }
  const std::string in = "(" + placeholders(names.size()) + ")";
  with_connection(connection_, [&](Connection& c) {
    auto select = c.prepare(std::string(kKnownPackages) + in);
    select->setString(1, version);
    select->setString(2, target);
    for (std::size_t i = 0; i < names.size(); ++i) {
      select->setString(static_cast<unsigned int>(i + 3), names[i]);
    }
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    while (rows->next()) {
      known.insert(rows->getString(1));
    }
  });
  return known;
}

std::vector<std::string> CatalogRepository::profiles_of_target(const std::string& target) {
  return with_connection(connection_, [&](Connection& c) {
    auto select = c.prepare(kProfilesOfTarget);
    select->setString(1, target);
    std::unique_ptr<sql::ResultSet> rows(select->executeQuery());
    std::vector<std::string> documents;
    while (rows->next()) {
      documents.emplace_back(rows->getString(1));
    }
    return documents;
  });
}

void CatalogRepository::request_refresh() {
  with_connection(connection_, [&](Connection& c) {
    std::unique_ptr<sql::Statement> statement(c.get().createStatement());
    statement->executeUpdate(kRequestRefresh);
  });
}

}  // namespace fwhub::db
