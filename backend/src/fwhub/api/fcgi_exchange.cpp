// Bridges libfcgi streams and the plain Request/Response types.
#include "fwhub/api/fcgi_exchange.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <cstring>

#include "fwhub/api/http_error.hpp"

namespace fwhub::api {
namespace {

CgiParams read_params(FCGX_ParamArray envp) {
  CgiParams params;
  for (char** entry = envp; entry != nullptr && *entry != nullptr; ++entry) {  // NOLINT
    const std::string_view pair(*entry);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos) {
      params.emplace_back(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
    }
  }
  return params;
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

// Reads and discards the rest of the body, so that the connection stays usable.
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

void serve_exchange(FCGX_Request& fcgi, const Dispatcher& dispatcher, Context& context, std::int64_t max_body_bytes) {
  const CgiParams params = read_params(fcgi.envp);
  const char* method = FCGX_GetParam("REQUEST_METHOD", fcgi.envp);
  const bool head = method != nullptr && std::strcmp(method, "HEAD") == 0;
  try {
    const std::int64_t length = checked_content_length(params, max_body_bytes);
    Request request = request_from_cgi(params, read_body(fcgi.in, length));
    write_response(fcgi, dispatcher.dispatch(request, context), head);
  } catch (const Error& error) {
    drain(fcgi.in);
    write_response(fcgi, problem_response(http_status(error.code()), error.what()), head);
  } catch (const std::exception& error) {
    spdlog::error("fastcgi exchange: {}", error.what());
    write_response(fcgi, problem_response(500, "internal error"), head);
  }
}

}  // namespace fwhub::api
