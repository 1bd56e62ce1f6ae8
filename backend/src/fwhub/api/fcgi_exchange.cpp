// Bridges libfcgi streams and the plain Request/Response types.
#include "fwhub/api/fcgi_exchange.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cstring>
#include <limits>

#include <strings.h>

#include "fwhub/api/http_error.hpp"

namespace fwhub::api {
namespace {

// Room for the multipart boundaries and part headers around an image of the maximum size.
constexpr std::int64_t kMultipartOverhead = std::int64_t{64} * 1024;

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
  try {
    std::int64_t limit = limits.max_body_bytes;
    if (streamed) {
      limit = limits.max_upload_bytes == 0 ? std::numeric_limits<std::int64_t>::max()
                                           : limits.max_upload_bytes + kMultipartOverhead;
    }
    const std::int64_t length = checked_content_length(params, limit);
    Request request = request_from_cgi(params, streamed ? std::string() : read_body(fcgi.in, length));
    std::int64_t remaining = length;
    if (streamed) {
      request.stream = [&fcgi, &remaining](char* buffer, std::size_t size) -> std::size_t {
        const auto wanted = static_cast<int>(std::min<std::int64_t>(remaining, static_cast<std::int64_t>(size)));
        const int got = wanted > 0 ? FCGX_GetStr(buffer, wanted, fcgi.in) : 0;
        remaining -= got > 0 ? got : 0;
        return got > 0 ? static_cast<std::size_t>(got) : 0;
      };
    }
    const Response response = dispatcher.dispatch(request, context);
    // Also after a body read to its Content-Length: the empty record that ends it may still be
    // unread, and libfcgi would take it for the next request on the kept connection and close it
    // (nginx then answers 502 to that request, about 1 in 1,000 POSTs of 1 MB under load).
    drain(fcgi.in);
    write_response(fcgi, response, head);
    return {response.status, request.route};
  } catch (const Error& error) {
    drain(fcgi.in);
    const int status = http_status(error.code());
    write_response(fcgi, problem_response(status, error.what()), head);
    return {status, std::nullopt};
  } catch (const std::exception& error) {
    spdlog::error("fastcgi exchange: {}", error.what());
    write_response(fcgi, problem_response(500, "internal error"), head);
    return {500, std::nullopt};
  }
}

}  // namespace fwhub::api
