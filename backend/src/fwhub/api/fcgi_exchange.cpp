// Bridges libfcgi streams and the plain Request/Response types.
#include "fwhub/api/fcgi_exchange.hpp"

#include <spdlog/spdlog.h>

#include <sys/socket.h>
#include <sys/time.h>

#include <array>
#include <chrono>
#include <cstring>
#include <limits>

#include <strings.h>

#include "fwhub/api/http_error.hpp"

namespace fwhub::api {
namespace {

// Room for the multipart boundaries and part headers around an image of the maximum size.
constexpr std::int64_t kMultipartOverhead = std::int64_t{64} * 1024;

// See drain_for_a_while.
constexpr std::chrono::milliseconds kDrainTime{100};
constexpr std::chrono::milliseconds kDrainPause{20};

void set_receive_timeout(int fd, std::chrono::milliseconds timeout) {
  timeval value{};
  value.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  value.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, sizeof(value));
}

// Reads up to `length` bytes; returns fewer if the client went away.
std::string read_body(FCGX_Stream* in, std::int64_t length) {
  std::string body;
  body.resize(static_cast<std::size_t>(length));
  std::size_t done = 0;
  while (done < body.size()) {
    const int chunk = static_cast<int>(std::min<std::size_t>(body.size() - done, std::size_t{1} << 20U));
    const int got = FCGX_GetStr(&body[done], chunk, in);
    if (got <= 0) {
      break;
    }
    done += static_cast<std::size_t>(got);
  }
  body.resize(done);
  return body;
}

// Reads and discards the rest of the body up to its end record, so that the connection stays usable.
void drain(FCGX_Stream* in) {
  std::array<char, 65536> sink{};
  while (FCGX_GetStr(sink.data(), static_cast<int>(sink.size()), in) > 0) {
  }
}

// The same for a body the API did not read to its end (refused on its headers, or its length was
// not accepted), but bounded: what nginx already holds (a buffered body, or an upload that has
// arrived) comes at once, a client still sending is not waited for. Each read waits at most
// kDrainPause, the whole at most about kDrainTime. Returns false when the body did not end: the
// connection is then not kept, and nginx, which has not sent the whole body either, does not
// keep it.
bool drain_for_a_while(FCGX_Request& fcgi) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + kDrainTime;
  // libfcgi keeps the connection's descriptor in the request (libfcgi 2.4 layout).
  set_receive_timeout(fcgi.ipcFd, kDrainPause);
  bool ended = false;
  char byte = 0;
  // A byte a call: FCGX_GetStr waits until it has all it was asked for, however slowly the bytes
  // come; bytes libfcgi has buffered are copied without a system call.
  while (Clock::now() < deadline) {
    if (FCGX_GetStr(&byte, 1, fcgi.in) != 1) {
      ended = FCGX_GetError(fcgi.in) == 0;  // the end record; not a timeout or a closed connection
      break;
    }
  }
  set_receive_timeout(fcgi.ipcFd, std::chrono::milliseconds(0));
  return ended;
}

// Ends the reading of the body: `unread` is what the API did not read of it (-1: its length was
// refused). A body read to its end is followed by its end record at once.
void finish_body(FCGX_Request& fcgi, std::int64_t unread) {
  if (unread == 0) {
    // Also after a body read to its Content-Length: the empty record that ends it may still be
    // unread, and libfcgi would take it for the next request on the kept connection and close it
    // (nginx then answers 502 to that request, about 1 in 1,000 POSTs of 1 MB under load).
    drain(fcgi.in);
  } else if (!drain_for_a_while(fcgi)) {
    fcgi.keepConnection = 0;  // FCGX_Finish_r closes the connection
  }
}

void write_response(FCGX_Request& fcgi, const Response& response, bool head) {
  const std::string out = response.serialize(!head);
  FCGX_PutStr(out.data(), static_cast<int>(out.size()), fcgi.out);
}

}  // namespace

ExchangeOutcome serve_exchange(FCGX_Request& fcgi, const Dispatcher& dispatcher, Context& context,
                               const BodyLimits& limits) {
  const CgiParams params = params_from_env(fcgi.envp);
  const char* method = FCGX_GetParam("REQUEST_METHOD", fcgi.envp);
  const bool head = method != nullptr && std::strcmp(method, "HEAD") == 0;
  const char* content_type = FCGX_GetParam("CONTENT_TYPE", fcgi.envp);
  const bool streamed = content_type != nullptr && strncasecmp(content_type, "multipart/form-data", 19) == 0;
  std::int64_t unread = -1;  // of the body; -1 until its length is accepted
  try {
    std::int64_t limit = limits.max_body_bytes;
    if (streamed) {
      limit = limits.max_upload_bytes == 0 ? std::numeric_limits<std::int64_t>::max()
                                           : limits.max_upload_bytes + kMultipartOverhead;
    }
    const std::int64_t length = checked_content_length(params, limit);
    unread = length;
    std::string body;
    if (!streamed) {
      body = read_body(fcgi.in, length);
      unread -= static_cast<std::int64_t>(body.size());
    }
    Request request = request_from_cgi(params, std::move(body));
    if (streamed) {
      // A handler refusing the upload on its headers (credentials, the build, too many uploads)
      // never calls it: the answer goes out without waiting for the body.
      request.stream = [&fcgi, &unread](char* buffer, std::size_t size) -> std::size_t {
        const auto wanted = static_cast<int>(std::min<std::int64_t>(unread, static_cast<std::int64_t>(size)));
        const int got = wanted > 0 ? FCGX_GetStr(buffer, wanted, fcgi.in) : 0;
        unread -= got > 0 ? got : 0;
        return got > 0 ? static_cast<std::size_t>(got) : 0;
      };
    }
    const Response response = dispatcher.dispatch(request, context);
    finish_body(fcgi, unread);
    write_response(fcgi, response, head);
    return {response.status, request.route};
  } catch (const Error& error) {
    finish_body(fcgi, unread);
    const int status = http_status(error.code());
    write_response(fcgi, problem_response(status, error.what()), head);
    return {status, std::nullopt};
  } catch (const std::exception& error) {
    spdlog::error("fastcgi exchange: {}", error.what());
    finish_body(fcgi, unread);
    write_response(fcgi, problem_response(500, "internal error"), head);
    return {500, std::nullopt};
  }
}

}  // namespace fwhub::api
