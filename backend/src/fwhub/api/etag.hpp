// Cheap polling without websockets: a strong ETag from the answer's body, and 304 Not Modified
// when the client already holds it (If-None-Match).
#pragma once

#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

// Adds the ETag to a 200 answer, or turns it into an empty 304 when If-None-Match names it.
Response conditional(const Request& request, Response response);

}  // namespace fwhub::api
