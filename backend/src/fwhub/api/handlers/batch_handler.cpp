// Upstream's shapes for the dry run ({"device_firmwares", "devices"}, plus "excluded" with the
// reason for each device left out) and for starting ({"batch": id}, or 400 {"error"}); batch
// and progress answers carry ETags for polling.
#include "fwhub/api/handlers/batch_handler.hpp"

#include <charconv>

#include "fwhub/api/etag.hpp"
#include "fwhub/api/fleet_request.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::api {
namespace {

using domain::fleet::batch_operation_resource;
using domain::fleet::batch_resource;
using domain::upgrade::BatchAction;

void string_member(JsonWriter& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_selected(JsonWriter& w, const std::vector<domain::upgrade::SelectedDevice>& devices, bool firmware) {
  w.StartArray();
  for (const auto& device : devices) {
    w.StartObject();
    if (firmware) {
      string_member(w, "id", device.firmware_id);
      string_member(w, "device", device.device_id);
      string_member(w, "device_name", device.device_name);
    } else {
      string_member(w, "id", device.device_id);
      string_member(w, "name", device.device_name);
      string_member(w, "model", device.model);
      string_member(w, "board_name", device.board_name);
    }
    string_member(w, "image", device.image_id);
    string_member(w, "image_type", device.image_type);
    w.EndObject();
  }
  w.EndArray();
}

// The batch record in scope; 404 otherwise.
domain::fleet::Record batch_record(Context& context, const std::string& id, const domain::fleet::ListQuery& scope) {
  auto record = context.fleet_services().resources.get(batch_resource(), id, scope);
  if (!record) {
    throw Error(Code::kNotFound, "not found");
  }
  return std::move(*record);
}

Response act(const Request& request, Context& context, BatchAction action) {
  const auto who = authenticate(request, context);
  context.fleet_services().batches.act(who, request.param("id"), action);
  return record_response(context, batch_resource(), request.param("id"), scope_of(who));
}

}  // namespace

Response handle_batch_dry_run(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  const auto result =
      context.fleet_services().batches.dry_run(who, request.param("build"), request.query_value("group").value_or(""),
                                               request.query_value("location").value_or(""));
  return json_response(200, [&result](JsonWriter& w) {
    w.StartObject();
    w.Key("device_firmwares");
    write_selected(w, result.device_firmwares, true);
    w.Key("devices");
    write_selected(w, result.devices, false);
    w.Key("excluded");
    w.StartArray();
    for (const auto& device : result.excluded) {
      w.StartObject();
      string_member(w, "device", device.device_id);
      string_member(w, "device_name", device.device_name);
      string_member(w, "reason", device.reason);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

Response handle_batch_start(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  auto& batches = context.fleet_services().batches;
  batches.authorize(who, request.param("build"));  // before a byte of the body is read
  std::string id;
  try {
    auto input = read_input(request, false);
    id = batches.start(who, request.param("build"), std::move(input), raw_member(request, "upgrade_options"));
  } catch (const Error& error) {
    if (error.code() != Code::kFailedPrecondition) {
      throw;
    }
    return json_response(400, [&error](JsonWriter& w) {
      w.StartObject();
      string_member(w, "error", error.what());
      w.EndObject();
    });
  }
  Response response = json_response(201, [&id](JsonWriter& w) {
    w.StartObject();
    string_member(w, "batch", id);
    w.EndObject();
  });
  response.header("Location", "/api/v1/firmware-upgrader/batch-upgrade-operation/" + id + "/");
  return response;
}

Response handle_batch_list(const Request& request, Context& context) {
  return list_response(context, batch_resource(), request, authenticate(request, context));
}

Response handle_batch_get(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  const std::string& id = request.param("id");
  const auto record = batch_record(context, id, scope_of(who));
  auto query = list_query(batch_operation_resource(), request, who);
  query.fixed.emplace_back("o.batch_id = ?", id);
  const auto page = context.fleet_services().resources.list(batch_operation_resource(), query);
  const Response operations = page_response(batch_operation_resource(), page, query, request);
  Response response = json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    write_fields(w, batch_resource(), record);
    w.Key("operations");
    w.RawValue(operations.body.c_str(), operations.body.size(), rapidjson::kObjectType);
    w.EndObject();
  });
  return conditional(request, std::move(response));
}

// Changes since `since` (the cursor of an earlier answer; 0 or absent = everything). An
// answer holds at most 10,000 changes; the cursor then stops before the last change number it
// contains, so that nothing is skipped (that number comes again next time).
Response handle_batch_progress(const Request& request, Context& context) {
  constexpr int kMaxChanges = 10000;
  const auto who = authenticate(request, context);
  const std::string& id = request.param("id");
  const std::string since = request.query_value("since").value_or("0");
  long long cursor = 0;
  if (std::from_chars(since.data(), since.data() + since.size(), cursor).ptr != since.data() + since.size() ||
      cursor < 0) {
    throw domain::fleet::ValidationError("since", "A valid integer is required.");
  }
  const auto record = batch_record(context, id, scope_of(who));
  auto query = scope_of(who, "o.batch_id = ?", id);
  query.fixed.emplace_back("o.batch_seq > ?", std::to_string(cursor));
  query.ordering = "seq";
  query.page_size = kMaxChanges;
  const auto changes = context.fleet_services().resources.list(batch_operation_resource(), query);
  const auto& spec = batch_resource();
  std::int64_t next = 0;
  for (std::size_t i = 0; i < spec.fields.size(); ++i) {
    if (std::string_view(spec.fields[i].name) == "cursor") {
      next = std::stoll(record[i].value_or("0"));
    }
  }
  if (changes.count > static_cast<std::int64_t>(changes.rows.size()) && !changes.rows.empty()) {
    next = std::stoll(changes.rows.back()[5].value_or("1")) - 1;  // field 5: "seq"
  }
  Response response = json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    write_fields(w, spec, record, "cursor");
    w.Key("cursor");
    w.Int64(next);
    w.Key("changes");
    w.StartArray();
    for (const auto& row : changes.rows) {
      write_record(w, batch_operation_resource(), row);
    }
    w.EndArray();
    w.EndObject();
  });
  return conditional(request, std::move(response));
}

Response handle_batch_cancel(const Request& request, Context& context) {
  return act(request, context, BatchAction::kCancel);
}

Response handle_batch_pause(const Request& request, Context& context) {
  return act(request, context, BatchAction::kPause);
}

Response handle_batch_resume(const Request& request, Context& context) {
  return act(request, context, BatchAction::kResume);
}

}  // namespace fwhub::api
