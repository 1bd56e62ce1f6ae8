// The single mapping from status codes to HTTP statuses.
#pragma once

#include "fwhub/common/status.hpp"

namespace fwhub::api {

int http_status(Code code);

}  // namespace fwhub::api
