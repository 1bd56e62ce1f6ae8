// Authentication, body and list-parameter reading, and record JSON of the fleet endpoints.
#include "fwhub/api/fleet_request.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sodium.h>

#include <charconv>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/utf8.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::api {
namespace {

// RapidJSON lets a \u escape of a lone surrogate through as bytes that are not UTF-8.
constexpr const char* kLoneSurrogate = "the request body escapes a lone UTF-16 surrogate (\\uD800-\\uDFFF)";

using domain::fleet::FieldType;
using domain::fleet::InputValue;

bool state_changing(const std::string& method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

bool same_secret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

int positive(const Request& request, const char* name, int fallback, int max) {
  const auto text = request.query_value(name);
  if (!text) {
    return fallback;
  }
  int value = 0;
  const auto* end = text->data() + text->size();
  if (std::from_chars(text->data(), end, value).ptr != end || value < 1) {
    throw domain::fleet::ValidationError(name, "A positive integer is required.");
  }
  return std::min(value, max);
}

std::string page_link(const Request& request, int page) {
  std::string link = request.path + "?";
  for (const auto& [key, value] : request.query) {
    if (key != "page") {
      link += key + "=" + value + "&";
    }
  }
  return link + "page=" + std::to_string(page);
}

void write_value(JsonWriter& w, FieldType type, const std::optional<std::string>& value) {
  if (!value) {
    w.Null();
    return;
  }
  switch (type) {
    case FieldType::kInt:
      w.Int64(std::stoll(*value));
      return;
    case FieldType::kBool:
      w.Bool(*value == "1");
      return;
    case FieldType::kJson: {
      rapidjson::Document document;
      if (!parse_json(document, *value).empty()) {
        w.Null();
      } else {
        document.Accept(w);
      }
      return;
    }
    case FieldType::kNumber:
      w.RawValue(value->c_str(), value->size(), rapidjson::kNumberType);
      return;
    case FieldType::kString:
    case FieldType::kTime:
      w.String(value->c_str(), static_cast<rapidjson::SizeType>(value->size()));
      return;
  }
}

// The body as a JSON object in `document`; 400 with the reason otherwise.
void parse_body(const Request& request, rapidjson::Document& document) {
  const std::string reason = parse_json(document, request.body);
  if (!reason.empty() || !document.IsObject()) {
    throw Error(Code::kInvalidArgument,
                std::string("the request body must be a JSON object") + (reason.empty() ? "" : " (" + reason + ")"));
  }
}

}  // namespace

FleetServices& Context::fleet_services() const {
  if (fleet == nullptr) {
    throw Error(Code::kUnavailable, "fleet management is not available in this process");
  }
  return *fleet;
}

std::string cookie(const Request& request, const std::string& name) {
  const auto header = request.header("cookie");
  if (!header) {
    return "";
  }
  std::string_view rest(*header);
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') {
      pair.remove_prefix(1);
    }
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  }
  return "";
}

domain::fleet::Principal authenticate(const Request& request, Context& context) {
  auto& auth = context.fleet_services().auth;
  if (const auto header = request.header("authorization"); header && header->starts_with("Bearer ")) {
    auto principal = auth.from_bearer(header->substr(7));
    if (!principal) {
      throw Error(Code::kUnauthenticated, "invalid or revoked token");
    }
    return *principal;
  }
  const std::string session = cookie(request, kSessionCookie);
  if (session.empty()) {
    throw Error(Code::kUnauthenticated, "authentication credentials were not provided");
  }
  auto principal = auth.from_session(session);
  if (!principal) {
    throw Error(Code::kUnauthenticated, "the session has expired; sign in again");
  }
  if (state_changing(request.method) && !same_secret(request.header(kCsrfHeader).value_or(""), principal->csrf_token)) {
    throw Error(Code::kPermissionDenied, "CSRF token missing or incorrect (send the X-CSRF-Token header)");
  }
  return *principal;
}

domain::fleet::Input read_input(const Request& request, bool partial) {
  rapidjson::Document document;
  parse_body(request, document);  // bounded nesting; UTF-8 validated (MariaDB refuses anything else)
  std::map<std::string, InputValue> values;
  for (const auto& member : document.GetObject()) {
    InputValue value;
    const auto& v = member.value;
    if (has_lone_surrogate({member.name.GetString(), member.name.GetStringLength()}) ||
        (v.IsString() && has_lone_surrogate({v.GetString(), v.GetStringLength()}))) {
      throw Error(Code::kInvalidArgument, kLoneSurrogate);
    }
    if (v.IsNull()) {
      value.kind = InputValue::Kind::kNull;
    } else if (v.IsString()) {
      value.kind = InputValue::Kind::kString;
      value.text.assign(v.GetString(), v.GetStringLength());
    } else if (v.IsBool()) {
      value.kind = InputValue::Kind::kBool;
      value.text = v.GetBool() ? "true" : "false";
    } else if (v.IsInt64()) {
      value.kind = InputValue::Kind::kNumber;
      value.text = std::to_string(v.GetInt64());
    } else if (v.IsNumber()) {
      value.kind = InputValue::Kind::kNumber;
      value.text = std::to_string(v.GetDouble());
    } else {
      value.kind = InputValue::Kind::kOther;
    }
    values[std::string(member.name.GetString(), member.name.GetStringLength())] = std::move(value);
  }
  return {std::move(values), partial};
}

std::string raw_member(const Request& request, const char* name) {
  rapidjson::Document body;
  parse_body(request, body);
  if (!body.HasMember(name)) {
    return "";
  }
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  body[name].Accept(writer);
  if (has_lone_surrogate({buffer.GetString(), buffer.GetSize()})) {
    throw Error(Code::kInvalidArgument, kLoneSurrogate);
  }
  return {buffer.GetString(), buffer.GetSize()};
}

domain::fleet::ListQuery scope_of(const domain::fleet::Principal& who, const std::string& condition,
                                  const std::string& value) {
  domain::fleet::ListQuery query;
  query.all_organizations = who.superuser;
  query.organization_ids = who.organization_ids();
  query.caller_id = who.user_id;
  if (!condition.empty()) {
    query.fixed.emplace_back(condition, value);
  }
  return query;
}

domain::fleet::ListQuery list_query(const domain::fleet::ResourceSpec& spec, const Request& request,
                                    const domain::fleet::Principal& who) {
  domain::fleet::ListQuery query = scope_of(who);
  query.page = positive(request, "page", 1, 1'000'000);
  query.page_size = positive(request, "page_size", 10, 100);
  for (const auto& [key, value] : request.query) {
    if (key == "page" || key == "page_size") {
      continue;
    }
    if (key == "organization") {
      query.organization_slug = value;
    } else if (key == "ordering") {
      const std::string name = value.starts_with('-') ? value.substr(1) : value;
      const auto* field = domain::fleet::find_field(spec, name);
      if (field == nullptr || !field->order) {
        throw domain::fleet::ValidationError("ordering", "Cannot order by \"" + value + "\".");
      }
      query.ordering = value;
    } else {
      const auto* field = domain::fleet::find_field(spec, key);
      if (field == nullptr || !field->filter) {
        throw domain::fleet::ValidationError(key, "Unknown filter \"" + key + "\".");
      }
      if (field->type == FieldType::kBool && value != "true" && value != "false") {
        throw domain::fleet::ValidationError(key, "Must be true or false.");
      }
      query.filters.emplace_back(key, value);
    }
  }
  return query;
}

void write_fields(JsonWriter& w, const domain::fleet::ResourceSpec& spec, const domain::fleet::Record& record,
                  const char* skip) {
  for (std::size_t i = 0; i < spec.fields.size() && i < record.size(); ++i) {
    if (skip != nullptr && std::string_view(spec.fields[i].name) == skip) {
      continue;
    }
    w.Key(spec.fields[i].name);
    write_value(w, spec.fields[i].type, record[i]);
  }
}

void write_record(JsonWriter& w, const domain::fleet::ResourceSpec& spec, const domain::fleet::Record& record) {
  w.StartObject();
  write_fields(w, spec, record);
  w.EndObject();
}

Response page_response(const domain::fleet::ResourceSpec& spec, const domain::fleet::Page& page,
                       const domain::fleet::ListQuery& query, const Request& request) {
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("count");
    w.Int64(page.count);
    w.Key("next");
    if (static_cast<std::int64_t>(query.page) * query.page_size < page.count) {
      const std::string link = page_link(request, query.page + 1);
      w.String(link.c_str(), static_cast<rapidjson::SizeType>(link.size()));
    } else {
      w.Null();
    }
    w.Key("previous");
    if (query.page > 1) {
      const std::string link = page_link(request, query.page - 1);
      w.String(link.c_str(), static_cast<rapidjson::SizeType>(link.size()));
    } else {
      w.Null();
    }
    w.Key("results");
    w.StartArray();
    for (const auto& record : page.rows) {
      write_record(w, spec, record);
    }
    w.EndArray();
    w.EndObject();
  });
}

Response record_response(Context& context, const domain::fleet::ResourceSpec& spec, const std::string& id,
                         const domain::fleet::ListQuery& scope, int status) {
  const auto record = context.fleet_services().resources.get(spec, id, scope);
  if (!record) {
    throw Error(Code::kNotFound, "not found");
  }
  return json_response(status, [&](JsonWriter& w) { write_record(w, spec, *record); });
}

Response list_response(Context& context, const domain::fleet::ResourceSpec& spec, const Request& request,
                       const domain::fleet::Principal& who, const std::string& fixed_condition,
                       const std::string& fixed_value) {
  auto query = list_query(spec, request, who);
  if (!fixed_condition.empty()) {
    query.fixed.emplace_back(fixed_condition, fixed_value);
  }
  return page_response(spec, context.fleet_services().resources.list(spec, query), query, request);
}

Response no_content() {
  Response response;
  response.status = 204;
  return response;
}

}  // namespace fwhub::api
