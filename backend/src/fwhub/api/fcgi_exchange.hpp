// One FastCGI request/response exchange: parameters and body in, response out.
#pragma once

#include <fcgiapp.h>

#include <cstdint>
#include <optional>

#include "fwhub/api/dispatcher.hpp"

namespace fwhub::api {

struct BodyLimits {
  std::int64_t max_body_bytes = std::int64_t{1024} * 1024;  // bodies read into memory
  std::int64_t max_upload_bytes = 0;                        // multipart uploads (streamed); 0 = unlimited
};

// What the request metrics count of one exchange.
struct ExchangeOutcome {
  int status = 500;
  std::optional<std::size_t> route;  // nullopt: no route handled the request
};

// Reads the request (the body up to max_body_bytes; a larger one is answered 413; a
// multipart/form-data body is not read but handed to the handler as Request::stream), dispatches
// it and writes the response. What the handler left of the body is drained, for 100 ms at most
// when it was not read to its end (then the connection is closed, not kept). Never throws.
ExchangeOutcome serve_exchange(FCGX_Request& fcgi, const Dispatcher& dispatcher, Context& context,
                               const BodyLimits& limits);

}  // namespace fwhub::api
