// Supervisor and worker processes of fwhub-api.
#include "fwhub/api/fcgi_server.hpp"

#include <fcgiapp.h>
#include <pthread.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "fwhub/api/fcgi_exchange.hpp"
#include "fwhub/sys/signals.hpp"

namespace fwhub::api {
namespace {

using namespace std::chrono_literals;

struct ThreadSlot {
  std::thread thread;
  std::atomic<bool> accepting{false};
  std::atomic<bool> done{false};
};

void worker_thread(const FcgiPoolOptions& options, const Dispatcher& dispatcher, const ThreadServicesFactory& factory,
                   const std::atomic<bool>& stopping, ThreadSlot& slot) {
  try {
    const std::unique_ptr<ThreadServices> services = factory();
    FCGX_Request request;
    FCGX_InitRequest(&request, options.listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
    while (!stopping.load()) {
      slot.accepting = true;
      const int rc = stopping.load() ? -1 : FCGX_Accept_r(&request);
      slot.accepting = false;
      if (rc < 0) {
        continue;
      }
      const auto started = std::chrono::steady_clock::now();
      const char* method_param = FCGX_GetParam("REQUEST_METHOD", request.envp);
      const std::string method = method_param == nullptr ? "" : method_param;  // envp is freed by Finish
      const ExchangeOutcome outcome =
          serve_exchange(request, dispatcher, services->context(), {options.max_body_bytes, options.max_upload_bytes});
      FCGX_Finish_r(&request);
      if (options.metrics != nullptr) {
        options.metrics->record(outcome.route, method, outcome.status, std::chrono::steady_clock::now() - started);
      }
    }
    FCGX_Free(&request, 1);
  } catch (const std::exception& error) {
    spdlog::critical("worker thread failed: {}", error.what());
  }
  slot.done = true;
}

[[noreturn]] void run_worker(const FcgiPoolOptions& options, const Router& router,
                             const ThreadServicesFactory& factory) {
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  FCGX_Init();
  sys::install_wakeup_handler(SIGUSR1);
  sys::block_signals({SIGTERM, SIGINT, SIGHUP});
  const Dispatcher dispatcher(router);
  std::atomic<bool> stopping{false};
  std::vector<ThreadSlot> slots(static_cast<std::size_t>(options.threads));
  for (auto& slot : slots) {
    slot.thread = std::thread(worker_thread, std::cref(options), std::cref(dispatcher), std::cref(factory),
                              std::cref(stopping), std::ref(slot));
  }
  while (!sys::wait_signal({SIGTERM, SIGINT}, 1s)) {
  }
  stopping = true;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.drain_seconds);
  bool all_done = false;
  while (!all_done && std::chrono::steady_clock::now() < deadline) {
    all_done = true;
    for (auto& slot : slots) {
      if (!slot.done) {
        all_done = false;
        if (slot.accepting) {
          ::pthread_kill(slot.thread.native_handle(), SIGUSR1);
        }
      }
    }
    std::this_thread::sleep_for(20ms);
  }
  if (!all_done) {
    spdlog::warn("worker {}: drain time over, exiting with requests in flight", ::getpid());
    ::_exit(1);
  }
  for (auto& slot : slots) {
    slot.thread.join();
  }
  ::_exit(0);
}

pid_t spawn_worker(const FcgiPoolOptions& options, const Router& router, const ThreadServicesFactory& factory) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    run_worker(options, router, factory);
  }
  if (pid < 0) {
    spdlog::error("fork failed");
  }
  return pid;
}

}  // namespace

int run_fcgi_pool(const FcgiPoolOptions& options, const Router& router, const ThreadServicesFactory& factory) {
  sys::block_signals({SIGTERM, SIGINT, SIGCHLD, SIGHUP});
  std::map<pid_t, std::chrono::steady_clock::time_point> workers;
  const auto start_one = [&] {
    const pid_t pid = spawn_worker(options, router, factory);
    if (pid > 0) {
      workers[pid] = std::chrono::steady_clock::now();
    }
  };
  for (int i = 0; i < options.workers; ++i) {
    start_one();
  }
  spdlog::info("api pool started: {} workers x {} threads", options.workers, options.threads);
  bool stopping = false;
  auto deadline = std::chrono::steady_clock::time_point::max();
  while (!workers.empty() && std::chrono::steady_clock::now() < deadline) {
    const auto signal = sys::wait_signal({SIGTERM, SIGINT, SIGCHLD, SIGHUP}, 500ms);
    if (signal && (*signal == SIGTERM || *signal == SIGINT) && !stopping) {
      stopping = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::seconds(options.drain_seconds + 1);
      spdlog::info("api pool stopping: draining {} workers", workers.size());
      for (const auto& [pid, started] : workers) {
        ::kill(pid, SIGTERM);
      }
    }
    int status = 0;
    pid_t pid = 0;
    while ((pid = ::waitpid(-1, &status, WNOHANG)) > 0) {
      const auto it = workers.find(pid);
      if (it == workers.end()) {
        continue;
      }
      const bool quick_death = std::chrono::steady_clock::now() - it->second < 1s;
      workers.erase(it);
      if (!stopping) {
        spdlog::error("worker {} exited (status {}); starting a replacement", pid, status);
        if (quick_death) {
          std::this_thread::sleep_for(1s);
        }
        start_one();
      }
    }
  }
  for (const auto& [pid, started] : workers) {
    ::kill(pid, SIGKILL);
  }
  spdlog::info("api pool stopped");
  return 0;
}

}  // namespace fwhub::api
