// Health endpoint: 200 {"status":"ok","database":"ok",...} or 503 "database unavailable".
#include "fwhub/api/handlers/health_handler.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

namespace fwhub::api {

Response handle_health(const Request& /*request*/, Context& context) {
  // Request threads start after the fork, so each reads its own process id once: getpid() is a
  // system call, and health is the endpoint load balancers poll most.
  thread_local const pid_t worker_pid = ::getpid();
  const service::HealthReport report = context.health.check();
  if (!report.database_ok) {
    spdlog::warn("health: database unavailable: {}", report.database_detail);
    Response response = problem_response(503, "database unavailable");
    response.header("Retry-After", "5");
    return response;
  }
  Response response = json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("status");
    w.String("ok");
    w.Key("database");
    w.String("ok");
    w.Key("version");
    w.String(report.version.c_str());
    w.Key("pid");
    w.Int64(static_cast<std::int64_t>(worker_pid));
    w.EndObject();
  });
  response.header("Cache-Control", "no-store");
  return response;
}

}  // namespace fwhub::api
