// Firmware images of a build: list, streamed multipart upload, read, delete, private download
// (the API checks access; nginx sends the file through X-Accel-Redirect).
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

// The internal nginx location private downloads are redirected to.
inline constexpr const char* kPrivateFirmwareLocation = "/internal/firmware/";

Response handle_image_list(const Request& request, Context& context);
Response handle_image_upload(const Request& request, Context& context);
Response handle_image_get(const Request& request, Context& context);
Response handle_image_delete(const Request& request, Context& context);
Response handle_image_download(const Request& request, Context& context);
// Images made from the catalog: request them (one image build per profile) and follow them.
Response handle_catalog_build_request(const Request& request, Context& context);
Response handle_catalog_build_list(const Request& request, Context& context);

}  // namespace fwhub::api
