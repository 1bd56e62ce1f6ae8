// The columns, filters and orderings of each fleet resource, in upstream's JSON field names.
#include "fwhub/domain/fleet/resource.hpp"

namespace fwhub::domain::fleet {
namespace {

FieldSpec created(const char* expression) {
  return {"created", expression, FieldType::kTime, false, true};
}
FieldSpec modified(const char* expression) {
  return {"modified", expression, FieldType::kTime, false, true};
}

}  // namespace

const FieldSpec* find_field(const ResourceSpec& spec, const std::string& name) {
  for (const auto& field : spec.fields) {
    if (name == field.name) {
      return &field;
    }
  }
  return nullptr;
}

const ResourceSpec& organization_resource() {
  static const ResourceSpec spec{"organizations o",
                                 "o.id",
                                 "o.id",
                                 false,
                                 {{"id", "o.id", FieldType::kString},
                                  {"name", "o.name", FieldType::kString, true, true},
                                  {"slug", "o.slug", FieldType::kString, true, true},
                                  created("o.created"),
                                  modified("o.modified")},
                                 "o.name, o.id"};
  return spec;
}

const ResourceSpec& user_resource() {
  static const ResourceSpec spec{
      "users u",
      "u.id",
      "NULL",
      false,
      {{"id", "u.id", FieldType::kString},
       {"username", "u.username", FieldType::kString, true, true},
       {"email", "u.email", FieldType::kString, true, true},
       {"is_superuser", "u.is_superuser", FieldType::kBool, true},
       {"is_active", "u.is_active", FieldType::kBool, true},
       {"organizations",
        "(SELECT CONCAT('[', IFNULL(GROUP_CONCAT(JSON_OBJECT('organization', m.organization_id, 'role', m.role)"
        " ORDER BY m.organization_id), ''), ']') FROM memberships m"
        " WHERE m.user_id = u.id AND m.organization_id IN ({orgs}))",
        FieldType::kJson},
       created("u.created"),
       modified("u.modified")},
      "u.username, u.id",
      "(EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id AND m.organization_id IN ({orgs}))"
      " OR u.id = {self})"};
  return spec;
}

const ResourceSpec& token_resource() {
  static const ResourceSpec spec{"api_tokens t",
                                 "t.id",
                                 "NULL",
                                 true,
                                 {{"id", "t.id", FieldType::kString},
                                  {"name", "t.name", FieldType::kString, true, true},
                                  {"user", "t.user_id", FieldType::kString},
                                  {"last_used", "t.last_used_at", FieldType::kTime},
                                  {"revoked", "t.revoked_at", FieldType::kTime},
                                  {"created", "t.created", FieldType::kTime, false, true}},
                                 "t.created DESC, t.id"};
  return spec;
}

const ResourceSpec& category_resource() {
  static const ResourceSpec spec{"categories c",
                                 "c.id",
                                 "c.organization_id",
                                 true,
                                 {{"id", "c.id", FieldType::kString},
                                  {"name", "c.name", FieldType::kString, true, true},
                                  {"description", "c.description", FieldType::kString},
                                  {"organization", "c.organization_id", FieldType::kString, true},
                                  created("c.created"),
                                  modified("c.modified")},
                                 "c.name, c.id"};
  return spec;
}

const ResourceSpec& build_resource() {
  static const ResourceSpec spec{"fw_builds b",
                                 "b.id",
                                 "b.organization_id",
                                 true,
                                 {{"id", "b.id", FieldType::kString},
                                  {"category", "b.category_id", FieldType::kString, true},
                                  {"version", "b.version", FieldType::kString, true, true},
                                  {"os", "b.os", FieldType::kString, true, true},
                                  {"changelog", "b.changelog", FieldType::kString},
                                  {"organization", "b.organization_id", FieldType::kString},
                                  created("b.created"),
                                  modified("b.modified")},
                                 "b.created DESC, b.id"};
  return spec;
}

const ResourceSpec& image_resource() {
  static const ResourceSpec spec{
      "fw_images i",
      "i.id",
      "i.organization_id",
      true,
      {{"id", "i.id", FieldType::kString},
       {"build", "i.build_id", FieldType::kString},
       {"type", "i.type", FieldType::kString, true, true},
       {"file", "CONCAT('/api/v1/firmware-upgrader/build/', i.build_id, '/image/', i.id, '/download/')",
        FieldType::kString},
       {"file_name", "i.file_name", FieldType::kString},
       {"size", "i.size", FieldType::kInt, false, true},
       {"sha256", "i.sha256", FieldType::kString, true},
       {"boards", "i.boards", FieldType::kJson},
       {"metadata", "i.metadata", FieldType::kJson},
       created("i.created"),
       modified("i.modified")},
      "i.created, i.id"};
  return spec;
}

const ResourceSpec& device_resource() {
  static const ResourceSpec spec{"devices d",
                                 "d.id",
                                 "d.organization_id",
                                 false,
                                 {{"id", "d.id", FieldType::kString},
                                  {"organization", "d.organization_id", FieldType::kString},
                                  {"name", "d.name", FieldType::kString, true, true},
                                  {"model", "d.model", FieldType::kString, true, true},
                                  {"board_name", "d.board_name", FieldType::kString, true, true},
                                  {"os", "d.os", FieldType::kString, true, true},
                                  {"management_ip", "d.management_ip", FieldType::kString, true, true},
                                  {"last_ip", "d.last_ip", FieldType::kString},
                                  {"ssh_port", "d.ssh_port", FieldType::kInt},
                                  {"host_key", "d.host_key", FieldType::kString},
                                  {"uuid", "d.uuid", FieldType::kString, true},
                                  {"group", "d.group_name", FieldType::kString, true, true},
                                  {"location", "d.location", FieldType::kString, true, true},
                                  {"deactivated", "d.deactivated", FieldType::kBool, true},
                                  {"memory_free_kb", "d.memory_free_kb", FieldType::kInt},
                                  {"refreshed_at", "d.refreshed_at", FieldType::kTime},
                                  {"refresh_error", "d.refresh_error", FieldType::kString},
                                  created("d.created"),
                                  modified("d.modified")},
                                 "d.name, d.id"};
  return spec;
}

const ResourceSpec& credentials_resource() {
  static const ResourceSpec spec{"credentials k",
                                 "k.id",
                                 "k.organization_id",
                                 true,
                                 {{"id", "k.id", FieldType::kString},
                                  {"organization", "k.organization_id", FieldType::kString},
                                  {"name", "k.name", FieldType::kString, true, true},
                                  {"connector", "k.connector", FieldType::kString, true},
                                  {"username", "k.username", FieldType::kString},
                                  {"port", "k.port", FieldType::kInt},
                                  {"auth", "k.auth", FieldType::kString, true},
                                  {"auto_add", "k.auto_add", FieldType::kBool, true},
                                  created("k.created"),
                                  modified("k.modified")},
                                 "k.name, k.id"};
  return spec;
}

const ResourceSpec& connection_resource() {
  static const ResourceSpec spec{"device_connections dc JOIN devices d ON d.id = dc.device_id",
                                 "dc.id",
                                 "d.organization_id",
                                 false,
                                 {{"id", "dc.id", FieldType::kString},
                                  {"device", "dc.device_id", FieldType::kString},
                                  {"credentials", "dc.credentials_id", FieldType::kString, true},
                                  {"enabled", "dc.enabled", FieldType::kBool, true},
                                  {"is_working", "dc.is_working", FieldType::kBool, true},
                                  {"failure_reason", "dc.failure_reason", FieldType::kString},
                                  {"last_attempt", "dc.last_attempt", FieldType::kTime},
                                  created("dc.created"),
                                  modified("dc.modified")},
                                 "dc.created, dc.id"};
  return spec;
}

const ResourceSpec& device_firmware_resource() {
  static const ResourceSpec spec{"device_firmware df JOIN devices d ON d.id = df.device_id",
                                 "df.device_id",
                                 "d.organization_id",
                                 false,
                                 {{"id", "df.id", FieldType::kString},
                                  {"device", "df.device_id", FieldType::kString},
                                  {"image", "df.image_id", FieldType::kString},
                                  {"installed", "df.installed", FieldType::kBool},
                                  created("df.created"),
                                  modified("df.modified")},
                                 "df.created, df.id"};
  return spec;
}

const ResourceSpec& build_source_resource() {
  static const ResourceSpec spec{"fw_build_sources s JOIN fw_builds b ON b.id = s.build_id",
                                 "s.request_hash",
                                 "b.organization_id",
                                 true,
                                 {{"profile", "s.profile", FieldType::kString, false, true},
                                  {"request_hash", "s.request_hash", FieldType::kString},
                                  {"status", "s.status", FieldType::kString, true},
                                  {"detail", "s.detail", FieldType::kString},
                                  {"image", "s.image_id", FieldType::kString},
                                  created("s.created"),
                                  modified("s.modified")},
                                 "s.profile, s.request_hash"};
  return spec;
}

const ResourceSpec& upgrade_operation_resource() {
  static const ResourceSpec spec{"upgrade_operations o",
                                 "o.id",
                                 "o.organization_id",
                                 false,
                                 {{"id", "o.id", FieldType::kString},
                                  {"device", "o.device_id", FieldType::kString, true},
                                  {"image", "o.image_id", FieldType::kString, true},
                                  {"batch", "o.batch_id", FieldType::kString, true},
                                  {"status", "o.status", FieldType::kString, true, true},
                                  {"step", "o.step", FieldType::kString},
                                  {"progress", "o.progress", FieldType::kInt, false, true},
                                  {"upgrade_options", "o.upgrade_options", FieldType::kJson},
                                  {"log", "o.log", FieldType::kString},
                                  created("o.created"),
                                  modified("o.modified")},
                                 "o.created DESC, o.id"};
  return spec;
}

// Counts, "N out of M" and rates (percent, 2 decimals, 0 when empty) come from the batch row's
// counters, which every status change recounts.
const ResourceSpec& batch_resource() {
  static const ResourceSpec spec{
      "batch_upgrade_operations b JOIN fw_builds fb ON fb.id = b.build_id",
      "b.id",
      "b.organization_id",
      false,  // batches of shared builds (superusers') stay with superusers
      {{"id", "b.id", FieldType::kString},
       {"build", "b.build_id", FieldType::kString, true},
       {"category", "fb.category_id", FieldType::kString, true},
       {"organization", "b.organization_id", FieldType::kString},
       {"status", "b.status", FieldType::kString, true, true},
       {"group", "b.group_name", FieldType::kString},
       {"location", "b.location", FieldType::kString},
       {"upgrade_all", "b.upgrade_all", FieldType::kBool},
       {"upgrade_options", "b.upgrade_options", FieldType::kJson},
       {"scheduled_at", "b.scheduled_at", FieldType::kTime},
       {"persistent", "b.persistent", FieldType::kBool},
       {"deadline", "b.deadline", FieldType::kTime},
       {"max_parallel", "b.max_parallel", FieldType::kInt},
       {"first_wave", "b.first_wave", FieldType::kInt},
       {"max_failure_rate", "b.max_failure_rate", FieldType::kNumber},
       {"stop_reason", "b.stop_reason", FieldType::kString},
       {"total", "b.total", FieldType::kInt},
       {"counts",
        "JSON_OBJECT('queued', b.n_queued, 'pending', b.n_pending, 'in-progress', b.n_in_progress,"
        " 'success', b.n_success, 'failed', b.n_failed, 'aborted', b.n_aborted, 'cancelled', b.n_cancelled)",
        FieldType::kJson},
       {"progress_report", "CONCAT(b.total - b.n_queued - b.n_pending - b.n_in_progress, ' out of ', b.total)",
        FieldType::kString},
       {"success_rate", "IF(b.total = 0, 0, ROUND(100 * b.n_success / b.total, 2))", FieldType::kNumber},
       {"failed_rate", "IF(b.total = 0, 0, ROUND(100 * b.n_failed / b.total, 2))", FieldType::kNumber},
       {"aborted_rate", "IF(b.total = 0, 0, ROUND(100 * b.n_aborted / b.total, 2))", FieldType::kNumber},
       {"cancelled_rate", "IF(b.total = 0, 0, ROUND(100 * b.n_cancelled / b.total, 2))", FieldType::kNumber},
       {"cursor", "b.change_seq", FieldType::kInt},
       created("b.created"),
       modified("b.modified")},
      "b.created DESC, b.id"};
  return spec;
}

const ResourceSpec& batch_operation_resource() {
  static const ResourceSpec spec{"upgrade_operations o JOIN devices d ON d.id = o.device_id",
                                 "o.id",
                                 "o.organization_id",
                                 false,
                                 {{"id", "o.id", FieldType::kString},
                                  {"device", "o.device_id", FieldType::kString, true},
                                  {"device_name", "d.name", FieldType::kString, false, true},
                                  {"status", "o.status", FieldType::kString, true, true},
                                  {"progress", "o.progress", FieldType::kInt, false, true},
                                  {"seq", "o.batch_seq", FieldType::kInt, false, true},
                                  modified("o.modified")},
                                 "d.name, o.id"};
  return spec;
}

}  // namespace fwhub::domain::fleet
