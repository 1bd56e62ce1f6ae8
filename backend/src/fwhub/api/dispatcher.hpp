// The single catch site: routes a request, runs its handler, and turns every error into a
// JSON problem response with the right HTTP status.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/router.hpp"

namespace fwhub::api {

class Dispatcher {
 public:
  explicit Dispatcher(const Router& router) : router_(router) {}

  // Never throws. Adds X-Request-Id. Unexpected exceptions are logged with the request id
  // and answered 500 without details.
  Response dispatch(Request& request, Context& context) const;

 private:
  const Router& router_;
};

}  // namespace fwhub::api
