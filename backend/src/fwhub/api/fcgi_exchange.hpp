// One FastCGI request/response exchange: parameters and body in, response out.
#pragma once

#include <fcgiapp.h>

#include <cstdint>

#include "fwhub/api/dispatcher.hpp"

namespace fwhub::api {

// Reads the request (the body up to max_body_bytes; a larger one is drained and answered
// 413), dispatches it and writes the response. Never throws.
void serve_exchange(FCGX_Request& fcgi, const Dispatcher& dispatcher, Context& context, std::int64_t max_body_bytes);

}  // namespace fwhub::api
