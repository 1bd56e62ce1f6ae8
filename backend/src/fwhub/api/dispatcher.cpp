// Request dispatch and error mapping.
#include "fwhub/api/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include "fwhub/api/http_error.hpp"
#include "fwhub/common/log.hpp"
#include "fwhub/common/random.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::api {
namespace {

Response route_and_run(const Router& router, Request& request, Context& context) {
  RouteMatch match = router.match(request.method, request.path);
  if (match.handler == nullptr) {
    std::string allow;
    for (const auto& method : match.allowed) {
      allow += allow.empty() ? method : ", " + method;
    }
    Response response = problem_response(405, "method " + request.method + " is not allowed here; allowed: " + allow);
    response.header("Allow", allow);
    return response;
  }
  request.path_params = std::move(match.params);
  request.route = match.route;
  return (*match.handler)(request, context);
}

// 400 with the problem fields and {"errors": {"field": ["message"]}}.
Response validation_response(const domain::fleet::FieldErrors& errors) {
  return json_response(400, [&errors](JsonWriter& w) {
    w.StartObject();
    w.Key("status");
    w.Int(400);
    w.Key("title");
    w.String(reason_phrase(400));
    w.Key("detail");
    w.String("invalid input; see errors");
    w.Key("errors");
    w.StartObject();
    for (const auto& [field, messages] : errors.all()) {
      w.Key(field.c_str(), static_cast<rapidjson::SizeType>(field.size()));
      w.StartArray();
      for (const auto& message : messages) {
        w.String(message.c_str(), static_cast<rapidjson::SizeType>(message.size()));
      }
      w.EndArray();
    }
    w.EndObject();
    w.EndObject();
  });
}

}  // namespace

Response Dispatcher::dispatch(Request& request, Context& context) const {
  if (request.request_id.empty()) {
    request.request_id = random_hex(16);
  }
  const LogScope log_scope("request", request.request_id);
  Response response;
  try {
    response = route_and_run(router_, request, context);
  } catch (const domain::fleet::ValidationError& error) {
    response = validation_response(error.errors());
  } catch (const Error& error) {
    const int status = http_status(error.code());
    if (status >= 500) {
      spdlog::error("{} {}: {}", request.method, request.path, error.what());
      response = problem_response(
          status, status == 500 ? "internal error; request id " + request.request_id : std::string(error.what()));
    } else {
      response = problem_response(status, error.what());
    }
  } catch (const std::exception& error) {
    spdlog::error("{} {}: unexpected exception: {}", request.method, request.path, error.what());
    response = problem_response(500, "internal error; request id " + request.request_id);
  }
  response.header("X-Request-Id", request.request_id);
  return response;
}

}  // namespace fwhub::api
