// GET /api/v1/revision/{version}/{target}/{subtarget}: the version_code of a target.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_revision(const Request& request, Context& context);

}  // namespace fwhub::api
