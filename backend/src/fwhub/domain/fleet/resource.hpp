// Generic read side of the fleet resources: which columns a resource shows, which of them filter
// and order lists, and how it is scoped to organizations. One spec per resource (resources.cpp);
// db::ResourceReader runs them, api writes their records as JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fwhub::domain::fleet {

enum class FieldType {
  kString,  // JSON string, null when NULL
  kInt,     // JSON number
  kBool,    // JSON true/false from 0/1
  kJson,    // column holds JSON text, written as is
  kTime,    // DATETIME(3) column, selected and written as ISO 8601 UTC
  kNumber,  // JSON number as the column writes it (decimals)
};

struct FieldSpec {
  const char* name;  // JSON key and query parameter
  const char* sql;   // select expression
  FieldType type;
  bool filter = false;  // ?name=value
  bool order = false;   // ?ordering=name / -name
};

struct ResourceSpec {
  const char* from;        // "fw_builds b JOIN categories c ON …"
  const char* id_column;   // "b.id"
  const char* org_column;  // the owning organization's id column; nullable when shared rows exist
  bool has_shared;         // rows without organization exist and are readable by all
  std::vector<FieldSpec> fields;
  const char* default_order;  // "b.created DESC, b.id"
  // Replaces "org_column IN (…)" when set: a condition where "{orgs}" stands for the list and
  // "{self}" (after "{orgs}") for the asking user's id.
  const char* scope_template = nullptr;
};

using Record = std::vector<std::optional<std::string>>;  // one value per field of the spec

struct Page {
  std::int64_t count = 0;
  std::vector<Record> rows;
};

// A list request after parsing: filters by field name, scope and the page wanted.
struct ListQuery {
  std::vector<std::pair<std::string, std::string>> filters;  // field name -> value (validated)
  std::vector<std::pair<std::string, std::string>> fixed;    // "b.category_id = ?" -> value (from the path)
  std::string ordering;                                      // field name, "-" prefix = descending; "" = default
  std::optional<std::string> organization_slug;              // ?organization=<slug>
  bool all_organizations = false;                            // superuser
  std::vector<std::string> organization_ids;                 // visible organizations otherwise
  std::string caller_id;                                     // the asking user ("{self}" in a scope template)
  int page = 1;
  int page_size = 10;
};

// Port: runs specs against storage (db::ResourceReader).
class ResourceQueries {
 public:
  virtual ~ResourceQueries() = default;
  // Filter values and the ordering must name fields of the spec (checked by the caller).
  virtual Page list(const ResourceSpec& spec, const ListQuery& query) = 0;
  // The record with this id within the query's scope and fixed conditions; nullopt otherwise.
  virtual std::optional<Record> get(const ResourceSpec& spec, const std::string& id, const ListQuery& scope) = 0;
};

[[nodiscard]] const FieldSpec* find_field(const ResourceSpec& spec, const std::string& name);

// The specs of the API's resources.
const ResourceSpec& organization_resource();
const ResourceSpec& user_resource();
const ResourceSpec& token_resource();
const ResourceSpec& category_resource();
const ResourceSpec& build_resource();
const ResourceSpec& image_resource();
const ResourceSpec& device_resource();
const ResourceSpec& credentials_resource();
const ResourceSpec& connection_resource();
const ResourceSpec& device_firmware_resource();
const ResourceSpec& build_source_resource();
const ResourceSpec& upgrade_operation_resource();
const ResourceSpec& batch_resource();
// A batch's operations in brief (no log), with the change number of each ("seq").
const ResourceSpec& batch_operation_resource();

}  // namespace fwhub::domain::fleet
