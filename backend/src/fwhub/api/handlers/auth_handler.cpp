// Sessions live in an HttpOnly, SameSite=Strict cookie (Secure over TLS); the CSRF token is
// returned in the body and must come back in X-CSRF-Token on state-changing requests.
#include "fwhub/api/handlers/auth_handler.hpp"

#include "fwhub/api/fleet_request.hpp"

namespace fwhub::api {
namespace {

bool secure_request(const Request& request, const Config& config) {
  if (config.fleet.secure_cookies != "auto") {
    return config.fleet.secure_cookies == "always";
  }
  return request.header("x-forwarded-proto").value_or("") == "https";
}

std::string session_cookie(const std::string& value, int max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
}

void string(JsonWriter& w, const std::string& text) {
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_principal(JsonWriter& w, const domain::fleet::Principal& who) {
  w.Key("id");
  string(w, who.user_id);
  w.Key("username");
  string(w, who.username);
  w.Key("is_superuser");
  w.Bool(who.superuser);
  w.Key("organizations");
  w.StartArray();
  for (const auto& [organization, role] : who.roles) {
    w.StartObject();
    w.Key("organization");
    string(w, organization);
    w.Key("role");
    w.String(domain::fleet::role_name(role));
    w.EndObject();
  }
  w.EndArray();
  if (who.via_session) {
    w.Key("csrf_token");
    string(w, who.csrf_token);
  }
}

}  // namespace

Response handle_login(const Request& request, Context& context) {
  auto input = read_input(request, false);
  const auto username = input.text("username", 150, true);
  const auto password = input.text("password", 1024, true);
  input.check();
  const auto session = context.fleet_services().auth.login(*username, *password, request.remote_addr);
  Response response = json_response(200, [&session](JsonWriter& w) {
    w.StartObject();
    write_principal(w, session.principal);
    w.Key("expires_in");
    w.Int(session.lifetime_seconds);
    w.EndObject();
  });
  response.header("Set-Cookie",
                  session_cookie(session.token, session.lifetime_seconds, secure_request(request, context.config)));
  response.header("Cache-Control", "no-store");
  return response;
}

Response handle_logout(const Request& request, Context& context) {
  authenticate(request, context);  // a session's logout needs its CSRF token
  const std::string token = cookie(request, kSessionCookie);
  if (!token.empty()) {
    context.fleet_services().auth.logout(token);
  }
  Response response = no_content();
  response.header("Set-Cookie", session_cookie("", 0, secure_request(request, context.config)));
  return response;
}

Response handle_me(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  Response response = json_response(200, [&who](JsonWriter& w) {
    w.StartObject();
    write_principal(w, who);
    w.EndObject();
  });
  response.header("Cache-Control", "no-store");
  return response;
}

Response handle_token_list(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  auto query = list_query(domain::fleet::token_resource(), request, who);
  query.all_organizations = true;
  query.fixed.emplace_back("t.user_id = ?", who.user_id);
  return page_response(domain::fleet::token_resource(),
                       context.fleet_services().resources.list(domain::fleet::token_resource(), query), query, request);
}

Response handle_token_create(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  auto input = read_input(request, false);
  const auto name = input.text("name", 128, true);
  input.check();
  const auto issued = context.fleet_services().auth.create_token(who.user_id, *name);
  Response response = json_response(201, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("id");
    string(w, issued.id);
    w.Key("name");
    string(w, *name);
    w.Key("token");
    string(w, issued.token);
    w.EndObject();
  });
  response.header("Cache-Control", "no-store");
  return response;
}

Response handle_token_revoke(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  if (!context.fleet_services().auth.revoke_token(request.param("id"), who.superuser ? "" : who.user_id)) {
    throw Error(Code::kNotFound, "not found");
  }
  return no_content();
}

}  // namespace fwhub::api
