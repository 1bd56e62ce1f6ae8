// One FastCGI request/response exchange: parameters and body in, response out.
#pragma once

#include <fcgiapp.h>

#include <cstdint>

#include "fwhub/api/dispatcher.hpp"

namespace fwhub::api {

struct BodyLimits {
  std::int64_t max_body_bytes = std::int64_t{1024} * 1024;  // bodies read into memory
  std::int64_t max_upload_bytes = 0;                        // multipart uploads (streamed); 0 = unlimited
};

// Reads the request (the body up to max_body_bytes; a larger one is drained and answered 413;
// a multipart/form-data body is not read but handed to the handler as Request::stream),
// dispatches it and writes the response. Never throws.
void serve_exchange(FCGX_Request& fcgi, const Dispatcher& dispatcher, Context& context, const BodyLimits& limits);

}  // namespace fwhub::api
