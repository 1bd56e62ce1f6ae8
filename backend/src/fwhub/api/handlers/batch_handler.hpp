// Mass upgrades: build/{id}/upgrade/ (dry run and start), batch-upgrade-operation/ (list, one
// batch with a page of its operations, progress since a cursor) and cancel/pause/resume.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_batch_dry_run(const Request& request, Context& context);
Response handle_batch_start(const Request& request, Context& context);
Response handle_batch_list(const Request& request, Context& context);
Response handle_batch_get(const Request& request, Context& context);
Response handle_batch_progress(const Request& request, Context& context);
Response handle_batch_cancel(const Request& request, Context& context);
Response handle_batch_pause(const Request& request, Context& context);
Response handle_batch_resume(const Request& request, Context& context);

}  // namespace fwhub::api
