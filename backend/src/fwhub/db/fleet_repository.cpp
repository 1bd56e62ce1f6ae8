// SQL of the fleet tables, as named constants (plus INSERT/UPDATE assembled from column names the
// service layer chooses), and the uniqueness rules' messages.
#include "fwhub/db/fleet_repository.hpp"

#include <cppconn/exception.h>

#include <array>

#include "fwhub/db/account_repository.hpp"
#include "fwhub/db/random_uuid_sql.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::db {
namespace {

using domain::fleet::Table;
using domain::fleet::Values;

struct TableInfo {
  const char* name;
  const char* owner_sql;  // SELECT of the owning organization by id
};

TableInfo info(Table table) {
  switch (table) {
    case Table::kCategory:
      return {"categories", "SELECT organization_id FROM categories WHERE id = ?"};
    case Table::kBuild:
      return {"fw_builds", "SELECT organization_id FROM fw_builds WHERE id = ?"};
    case Table::kImage:
      return {"fw_images", "SELECT organization_id FROM fw_images WHERE id = ?"};
    case Table::kDevice:
      return {"devices", "SELECT organization_id FROM devices WHERE id = ?"};
    case Table::kCredentials:
      return {"credentials", "SELECT organization_id FROM credentials WHERE id = ?"};
    case Table::kConnection:
      return {"device_connections",
              "SELECT d.organization_id FROM device_connections c JOIN devices d ON d.id = c.device_id WHERE c.id = ?"};
    case Table::kOperation:
      return {"upgrade_operations", "SELECT organization_id FROM upgrade_operations WHERE id = ?"};
    case Table::kBatch:
      return {"batch_upgrade_operations", "SELECT organization_id FROM batch_upgrade_operations WHERE id = ?"};
    case Table::kDeviceFirmware:
      return {"device_firmware",
              "SELECT d.organization_id FROM device_firmware f JOIN devices d ON d.id = f.device_id WHERE f.id = ?"};
  }
  return {"", ""};
}

struct UniqueRule {
  const char* key;
  const char* field;
  const char* message;
};

constexpr std::array<UniqueRule, 9> kUniqueRules = {{
    {"categories_name", "name", "A category with this name already exists in this organization."},
    {"fw_builds_version", "version", "A build with this version already exists in this category."},
    {"fw_builds_os", "os", "A build with this os already exists in this organization."},
    {"fw_images_type", "type", "An image of this type already exists in this build."},
    {"fw_images_file_name", "file", "An image with this file name already exists in this build."},
    {"devices_name", "name", "A device with this name already exists in this organization."},
    {"credentials_name", "name", "Credentials with this name already exist in this organization."},
    {"device_connections_pair", "credentials", "This device already has a connection with these credentials."},
    {"device_firmware_device", "device", "This device already has a firmware record."},
}};

[[noreturn]] void rethrow_unique(const sql::SQLException& error) {
  if (is_duplicate_key(error)) {
    const std::string text = error.what();
    for (const auto& rule : kUniqueRules) {
      if (text.find(rule.key) != std::string::npos) {
        throw domain::fleet::ValidationError(rule.field, rule.message);
      }
    }
  }
  throw error;  // NOLINT(cert-err60-cpp): sql::SQLException is what with_connection translates
}

void bind(sql::PreparedStatement& statement, unsigned first, const Values& values) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto index = static_cast<unsigned>(first + i);
    if (values[i].second) {
      statement.setString(index, *values[i].second);
    } else {
      statement.setNull(index, 0);
    }
  }
}

std::vector<std::string> strings(Connection& c, const char* sql, const std::string& value) {
  auto statement = c.prepare(sql);
  statement->setString(1, value);
  std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
  std::vector<std::string> out;
  while (rows->next()) {
    out.emplace_back(rows->getString(1));
  }
  return out;
}

constexpr const char* kBuildsOfCategory = "SELECT id FROM fw_builds WHERE category_id = ?";
constexpr const char* kBuildsOfOrganization = "SELECT id FROM fw_builds WHERE organization_id = ?";
constexpr const char* kOsTaken = "SELECT 1 FROM fw_builds WHERE org_key = IFNULL(?, '') AND os = ? AND id <> ?";
constexpr const char* kDevice =
    "SELECT organization_id, model, board_name, deactivated, management_ip, ssh_port FROM devices WHERE id = ?";
constexpr const char* kImage = "SELECT build_id, organization_id, type, file_name, boards FROM fw_images WHERE id = ?";
constexpr const char* kHasConnection = "SELECT 1 FROM device_connections WHERE device_id = ? LIMIT 1";
const std::string kAttachAuto =
    std::string(
        "INSERT IGNORE INTO device_connections (id, device_id, credentials_id, failure_reason,"
        " attached_by_superuser) SELECT ") +
    kRandomUuidSql +
    ", d.id, k.id, '', k.organization_id IS NULL FROM devices d JOIN credentials k"
    " ON k.auto_add AND (k.organization_id IS NULL OR k.organization_id = d.organization_id) WHERE d.id = ?";
const std::string kAttachToDevices =
    std::string(
        "INSERT IGNORE INTO device_connections (id, device_id, credentials_id, failure_reason,"
        " attached_by_superuser) SELECT ") +
    kRandomUuidSql +
    ", d.id, k.id, '', k.organization_id IS NULL FROM credentials k JOIN devices d"
    " ON k.organization_id IS NULL OR k.organization_id = d.organization_id WHERE k.id = ?";
constexpr const char* kFillBuildOs = "UPDATE fw_builds SET os = ? WHERE id = ? AND os IS NULL";
constexpr const char* kConnectionOfDevice = "SELECT 1 FROM device_connections WHERE id = ? AND device_id = ?";
constexpr const char* kAddSource =
    "INSERT INTO fw_build_sources (build_id, request_hash, profile, detail) VALUES (?, ?, ?, '')"
    " ON DUPLICATE KEY UPDATE status = IF(status = 'failed', 'building', status), detail = ''";
constexpr const char* kEnqueueAttach =
    "INSERT IGNORE INTO jobs (kind, payload, priority, max_attempts, run_at, active_key)"
    " SELECT 'fleet_attach', JSON_OBJECT('request_hash', ?), 0, 5, NOW(3), CONCAT('fleet_attach:', ?)"
    " FROM DUAL WHERE EXISTS (SELECT 1 FROM fw_build_sources WHERE request_hash = ? AND status = 'building')";
constexpr const char* kWaitingSources =
    "SELECT build_id, profile FROM fw_build_sources WHERE request_hash = ? AND status = 'building'";
constexpr const char* kFinishSource =
    "UPDATE fw_build_sources SET status = ?, detail = ?, image_id = ? WHERE build_id = ? AND request_hash = ?";
constexpr const char* kDeviceFirmwareId = "SELECT id FROM device_firmware WHERE device_id = ?";

}  // namespace

std::optional<std::optional<std::string>> FleetRepository::owner(Table table, const std::string& id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<std::optional<std::string>> {
    auto statement = c.prepare(info(table).owner_sql);
    statement->setString(1, id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    return rows->isNull(1) ? std::optional<std::string>() : std::optional<std::string>(rows->getString(1));
  });
}

void FleetRepository::insert(Table table, const std::string& id, const Values& values) {
  with_connection(connection_, [&](Connection& c) {
    std::string columns = "id";
    std::string marks = "?";
    for (const auto& [column, value] : values) {
      columns += ", " + column;
      marks += ", ?";
    }
    auto statement =
        c.prepare(std::string("INSERT INTO ") + info(table).name + " (" + columns + ") VALUES (" + marks + ")");
    statement->setString(1, id);
    bind(*statement, 2, values);
    try {
      statement->executeUpdate();
    } catch (const sql::SQLException& error) {
      rethrow_unique(error);
    }
  });
}

bool FleetRepository::update(Table table, const std::string& id, const Values& values) {
  if (values.empty()) {
    return owner(table, id).has_value();
  }
  return with_connection(connection_, [&](Connection& c) {
    std::string assignments;
    for (const auto& [column, value] : values) {
      assignments += (assignments.empty() ? "" : ", ") + column + " = ?";
    }
    auto statement = c.prepare(std::string("UPDATE ") + info(table).name + " SET " + assignments + " WHERE id = ?");
    bind(*statement, 1, values);
    statement->setString(static_cast<unsigned>(values.size() + 1), id);
    try {
      statement->executeUpdate();
    } catch (const sql::SQLException& error) {
      rethrow_unique(error);
    }
    return true;
  });
}

bool FleetRepository::remove(Table table, const std::string& id) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(std::string("DELETE FROM ") + info(table).name + " WHERE id = ?");
    statement->setString(1, id);
    return statement->executeUpdate() > 0;
  });
}

std::vector<std::string> FleetRepository::build_ids_of_category(const std::string& category_id) {
  return with_connection(connection_, [&](Connection& c) { return strings(c, kBuildsOfCategory, category_id); });
}

std::vector<std::string> FleetRepository::build_ids_of_organization(const std::string& organization_id) {
  return with_connection(connection_,
                         [&](Connection& c) { return strings(c, kBuildsOfOrganization, organization_id); });
}

bool FleetRepository::os_taken(const std::optional<std::string>& organization_id, const std::string& os,
                               const std::string& except_build_id) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kOsTaken);
    bind(*statement, 1, {{"organization_id", organization_id}, {"os", os}, {"id", except_build_id}});
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    return rows->next();
  });
}

std::optional<domain::fleet::DeviceFacts> FleetRepository::device(const std::string& id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<domain::fleet::DeviceFacts> {
    auto statement = c.prepare(kDevice);
    statement->setString(1, id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    return domain::fleet::DeviceFacts{rows->getString(1),  rows->getString(2), rows->getString(3),
                                      rows->getBoolean(4), rows->getString(5), rows->getInt(6)};
  });
}

std::optional<domain::fleet::ImageFacts> FleetRepository::image(const std::string& id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<domain::fleet::ImageFacts> {
    auto statement = c.prepare(kImage);
    statement->setString(1, id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    if (!rows->next()) {
      return std::nullopt;
    }
    domain::fleet::ImageFacts facts;
    facts.build_id = rows->getString(1);
    if (!rows->isNull(2)) {
      facts.organization_id = rows->getString(2);
    }
    facts.type = rows->getString(3);
    facts.file_name = rows->getString(4);
    facts.boards_json = rows->getString(5);
    return facts;
  });
}

bool FleetRepository::has_connection(const std::string& device_id) {
  return with_connection(connection_, [&](Connection& c) { return !strings(c, kHasConnection, device_id).empty(); });
}

void FleetRepository::attach_auto_credentials(const std::string& device_id) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kAttachAuto);
    statement->setString(1, device_id);
    statement->executeUpdate();
  });
}

void FleetRepository::attach_to_devices(const std::string& credentials_id) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kAttachToDevices);
    statement->setString(1, credentials_id);
    statement->executeUpdate();
  });
}

void FleetRepository::fill_build_os(const std::string& build_id, const std::string& os) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kFillBuildOs);
    statement->setString(1, os);
    statement->setString(2, build_id);
    try {
      statement->executeUpdate();
    } catch (const sql::SQLException& error) {
      rethrow_unique(error);
    }
  });
}

bool FleetRepository::connection_of_device(const std::string& connection_id, const std::string& device_id) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kConnectionOfDevice);
    statement->setString(1, connection_id);
    statement->setString(2, device_id);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    return rows->next();
  });
}

void FleetRepository::add_build_source(const std::string& build_id, const std::string& request_hash,
                                       const std::string& profile) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kAddSource);
    bind(*statement, 1, {{"build_id", build_id}, {"request_hash", request_hash}, {"profile", profile}});
    statement->executeUpdate();
  });
}

void FleetRepository::enqueue_attach(const std::string& request_hash) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kEnqueueAttach);
    bind(*statement, 1, {{"payload", request_hash}, {"key", request_hash}, {"hash", request_hash}});
    statement->executeUpdate();
  });
}

std::vector<std::pair<std::string, std::string>> FleetRepository::waiting_sources(const std::string& request_hash) {
  return with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kWaitingSources);
    statement->setString(1, request_hash);
    std::unique_ptr<sql::ResultSet> rows(statement->executeQuery());
    std::vector<std::pair<std::string, std::string>> sources;
    while (rows->next()) {
      sources.emplace_back(rows->getString(1), rows->getString(2));
    }
    return sources;
  });
}

void FleetRepository::finish_source(const std::string& build_id, const std::string& request_hash, bool attached,
                                    const std::string& detail, const std::optional<std::string>& image_id) {
  with_connection(connection_, [&](Connection& c) {
    auto statement = c.prepare(kFinishSource);
    bind(*statement, 1,
         {{"status", attached ? "attached" : "failed"},
          {"detail", detail},
          {"image_id", image_id},
          {"build_id", build_id},
          {"request_hash", request_hash}});
    statement->executeUpdate();
  });
}

std::optional<std::string> FleetRepository::device_firmware_id(const std::string& device_id) {
  return with_connection(connection_, [&](Connection& c) -> std::optional<std::string> {
    auto ids = strings(c, kDeviceFirmwareId, device_id);
    return ids.empty() ? std::nullopt : std::optional<std::string>(ids.front());
  });
}

}  // namespace fwhub::db
