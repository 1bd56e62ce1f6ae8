// The API's route table: every endpoint of fwhub-api is listed here.
#pragma once

#include "fwhub/api/router.hpp"

namespace fwhub::api {

Router make_routes();

}  // namespace fwhub::api
