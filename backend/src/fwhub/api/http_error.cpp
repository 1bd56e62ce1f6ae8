// Code -> HTTP status table.
#include "fwhub/api/http_error.hpp"

namespace fwhub::api {

int http_status(Code code) {
  switch (code) {
    case Code::kOk:
      return 200;
    case Code::kInvalidArgument:
      return 400;
    case Code::kUnauthenticated:
      return 401;
    case Code::kPermissionDenied:
      return 403;
    case Code::kNotFound:
      return 404;
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition:
    case Code::kAborted:
    case Code::kCancelled:
      return 409;
    case Code::kPayloadTooLarge:
      return 413;
    case Code::kUnprocessable:
      return 422;
    case Code::kResourceExhausted:
      return 429;
    case Code::kUnavailable:
      return 503;
    case Code::kDeadlineExceeded:
      return 504;
    case Code::kInternal:
      break;
  }
  return 500;
}

}  // namespace fwhub::api
