// The FastCGI process pool: a supervisor forks worker processes of several threads each, all
// accepting on one shared socket; dead workers are replaced; SIGTERM drains in-flight requests.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "fwhub/api/context.hpp"
#include "fwhub/api/request_metrics.hpp"
#include "fwhub/api/router.hpp"

namespace fwhub::api {

// Per-thread services (database connection and what uses it), created in the worker thread.
class ThreadServices {
 public:
  virtual ~ThreadServices() = default;
  virtual Context& context() = 0;
};
using ThreadServicesFactory = std::function<std::unique_ptr<ThreadServices>()>;

struct FcgiPoolOptions {
  int listen_fd = -1;
  int workers = 2;
  int threads = 4;
  int drain_seconds = 20;
  std::int64_t max_body_bytes = std::int64_t{1024} * 1024;
  std::int64_t max_upload_bytes = 0;  // multipart uploads; 0 = unlimited
  RequestMetrics* metrics = nullptr;  // created before the fork, shared by all workers; null = not counted
};

// Runs until SIGTERM or SIGINT; returns the process exit code.
int run_fcgi_pool(const FcgiPoolOptions& options, const Router& router, const ThreadServicesFactory& factory);

}  // namespace fwhub::api
