// Build submission and polling in ASU's response shapes and headers.
#include "fwhub/api/handlers/build_handler.hpp"

#include <rapidjson/document.h>

#include "fwhub/common/json_text.hpp"
#include "fwhub/domain/build/build_request.hpp"

namespace fwhub::api {
namespace {

using domain::build::BuildRecord;
using domain::build::BuildStatus;

void string(JsonWriter& w, const std::string& text) {
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

// The common fields: status (= HTTP code), request_hash, enqueued_at.
void common(JsonWriter& w, int status, const BuildRecord& build) {
  w.Key("status");
  w.Int(status);
  w.Key("request_hash");
  string(w, build.request_hash);
  w.Key("enqueued_at");
  string(w, build.enqueued_at);
}

Response build_response(const BuildRecord& build) {
  Response response;
  std::string step = "queued";
  if (build.status == BuildStatus::kQueued) {
    response = json_response(202, [&](JsonWriter& w) {
      w.StartObject();
      common(w, 202, build);
      w.Key("detail");
      w.String("queued");
      w.Key("queue_position");
      w.Int(build.queue_position);
      w.EndObject();
    });
  } else if (build.status == BuildStatus::kRunning) {
    step = build.imagebuilder_status;
    response = json_response(202, [&](JsonWriter& w) {
      w.StartObject();
      common(w, 202, build);
      w.Key("detail");
      w.String("started");
      w.Key("imagebuilder_status");
      string(w, step);
      w.EndObject();
    });
  } else if (build.status == BuildStatus::kFailed) {
    step = "failed";
    response = json_response(500, [&](JsonWriter& w) {
      w.StartObject();
      common(w, 500, build);
      w.Key("detail");
      string(w, build.detail);
      w.Key("stdout");
      string(w, build.stdout_text);
      w.Key("stderr");
      string(w, build.stderr_text);
      w.EndObject();
    });
  } else {
    step = "done";
    rapidjson::Document result;
    (void)parse_json(result, build.result_json);  // written by the scheduler; anything else answers {}
    response = json_response(200, [&](JsonWriter& w) {
      w.StartObject();
      if (result.IsObject()) {
        for (const auto& member : result.GetObject()) {
          const std::string_view name(member.name.GetString(), member.name.GetStringLength());
          if (name != "status" && name != "request_hash" && name != "enqueued_at" && name != "detail") {
            w.Key(member.name.GetString(), member.name.GetStringLength());
            member.value.Accept(w);
          }
        }
      }
      common(w, 200, build);
      w.Key("detail");
      w.String("done");
      w.EndObject();
    });
  }
  response.header("X-Imagebuilder-Status", step);
  response.header("X-Queue-Position", std::to_string(build.status == BuildStatus::kQueued ? build.queue_position : 0));
  response.header("Cache-Control", "no-store");
  if (build.status == BuildStatus::kDone && build.seconds_left > 0) {
    // A finished build never changes until it expires: nginx keeps it that long (fastcgi_cache,
    // keyed by URI) and answers repeated polls itself. The header does not reach clients.
    response.header("X-Accel-Expires", std::to_string(build.seconds_left));
  }
  return response;
}

Response schema_error(const std::vector<domain::build::FieldError>& errors) {
  return json_response(422, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("status");
    w.Int(422);
    w.Key("title");
    w.String("Unprocessable Entity");
    w.Key("detail");
    w.StartArray();
    for (const auto& error : errors) {
      w.StartObject();
      w.Key("type");
      string(w, error.type);
      w.Key("loc");
      w.StartArray();
      for (const auto& part : error.location) {
        string(w, part);
      }
      w.EndArray();
      w.Key("msg");
      string(w, error.message);
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

}  // namespace

Response handle_build_submit(const Request& request, Context& context) {
  const auto& config = context.config.build;
  domain::build::Limits limits;
  limits.max_defaults_length = config.max_defaults_length;
  limits.max_custom_rootfs_size_mb = config.max_custom_rootfs_size_mb;
  auto parsed = domain::build::parse_build_request(request.body, limits);
  if (!parsed.request) {
    return schema_error(parsed.errors);
  }
  if (!parsed.request->client) {
    parsed.request->client = domain::build::client_from_user_agent(request.header("user-agent").value_or(""));
  }
  try {
    return build_response(context.builds.submit(*parsed.request));
  } catch (const Error& error) {
    if (error.code() != Code::kResourceExhausted) {
      throw;
    }
    return problem_response(529, error.what());
  }
}

Response handle_build_poll(const Request& request, Context& context) {
  const auto build = context.builds.find(request.param("request_hash"));
  if (!build) {
    throw Error(Code::kNotFound, "could not find provided request hash");
  }
  return build_response(*build);
}

}  // namespace fwhub::api
