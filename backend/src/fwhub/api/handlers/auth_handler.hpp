// Sign-in and sign-out (session cookie + CSRF token), the signed-in user, and API tokens.
#pragma once

#include "fwhub/api/context.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/api/response.hpp"

namespace fwhub::api {

Response handle_login(const Request& request, Context& context);
Response handle_logout(const Request& request, Context& context);
Response handle_me(const Request& request, Context& context);
Response handle_token_list(const Request& request, Context& context);
Response handle_token_create(const Request& request, Context& context);
Response handle_token_revoke(const Request& request, Context& context);

}  // namespace fwhub::api
