// What every fleet endpoint does with a request: find who is asking (session cookie with CSRF
// check, or bearer token), read the JSON body into an Input, read list parameters into a
// ListQuery, and write records, pages and "created" answers in upstream's JSON shapes.
#pragma once

#include <string>

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"
#include "fwhub/domain/fleet/input.hpp"
#include "fwhub/domain/fleet/principal.hpp"
#include "fwhub/domain/fleet/resource.hpp"

namespace fwhub::api {

inline constexpr const char* kSessionCookie = "fwhub_session";
inline constexpr const char* kCsrfHeader = "x-csrf-token";

// Throws Error kUnauthenticated without valid credentials, kPermissionDenied when a session's
// state-changing request lacks the right X-CSRF-Token.
domain::fleet::Principal authenticate(const Request& request, Context& context);

// The value of a cookie; "" when absent.
std::string cookie(const Request& request, const std::string& name);

// The body as fields; 400 when it is not a JSON object (or nests deeper than kMaxJsonDepth).
// partial: PATCH.
domain::fleet::Input read_input(const Request& request, bool partial);

// The JSON text of one member of the body's object, e.g. "upgrade_options"; "" when absent; 400
// like read_input when the body is not an object.
std::string raw_member(const Request& request, const char* name);

// page, page_size (default 10, at most 100), ordering, organization and the spec's filters,
// scoped to what `who` may see. Unknown filter values or orderings are 400.
domain::fleet::ListQuery list_query(const domain::fleet::ResourceSpec& spec, const Request& request,
                                    const domain::fleet::Principal& who);
// The scope alone (for single objects), optionally narrowed by one condition of the object's
// parent ("i.build_id = ?" and the build's id).
domain::fleet::ListQuery scope_of(const domain::fleet::Principal& who, const std::string& condition = "",
                                  const std::string& value = "");

void write_record(JsonWriter& w, const domain::fleet::ResourceSpec& spec, const domain::fleet::Record& record);
// The record's members alone, inside an object the caller writes; `skip` names a field left out.
void write_fields(JsonWriter& w, const domain::fleet::ResourceSpec& spec, const domain::fleet::Record& record,
                  const char* skip = nullptr);

// {"count", "next", "previous", "results": […]} as Django REST framework pages.
Response page_response(const domain::fleet::ResourceSpec& spec, const domain::fleet::Page& page,
                       const domain::fleet::ListQuery& query, const Request& request);

// The record with `id` in scope as 200 (or `status`), 404 when there is none.
Response record_response(Context& context, const domain::fleet::ResourceSpec& spec, const std::string& id,
                         const domain::fleet::ListQuery& scope, int status = 200);

// A list answer for `spec` with an extra fixed condition ("" = none).
Response list_response(Context& context, const domain::fleet::ResourceSpec& spec, const Request& request,
                       const domain::fleet::Principal& who, const std::string& fixed_condition = "",
                       const std::string& fixed_value = "");

Response no_content();

}  // namespace fwhub::api
