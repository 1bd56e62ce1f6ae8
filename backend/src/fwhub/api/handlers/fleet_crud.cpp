// Generic fleet handlers: authenticate, call the use case, answer with the stored object.
#include "fwhub/api/handlers/fleet_crud.hpp"

#include "fwhub/api/fleet_request.hpp"

namespace fwhub::api {

Handler list_handler(const domain::fleet::ResourceSpec& spec) {
  return [&spec](const Request& request, Context& context) {
    return list_response(context, spec, request, authenticate(request, context));
  };
}

Handler get_handler(const domain::fleet::ResourceSpec& spec) {
  return [&spec](const Request& request, Context& context) {
    const auto who = authenticate(request, context);
    return record_response(context, spec, request.param("id"), scope_of(who));
  };
}

Handler create_handler(const domain::fleet::ResourceSpec& spec, CreateCase create) {
  return [&spec, create](const Request& request, Context& context) {
    const auto who = authenticate(request, context);
    const std::string id = (context.fleet_services().fleet.*create)(who, read_input(request, false));
    return record_response(context, spec, id, scope_of(who), 201);
  };
}

Handler update_handler(const domain::fleet::ResourceSpec& spec, UpdateCase update, bool partial) {
  return [&spec, update, partial](const Request& request, Context& context) {
    const auto who = authenticate(request, context);
    (context.fleet_services().fleet.*update)(who, request.param("id"), read_input(request, partial));
    return record_response(context, spec, request.param("id"), scope_of(who));
  };
}

Handler delete_handler(DeleteCase remove) {
  return [remove](const Request& request, Context& context) {
    const auto who = authenticate(request, context);
    (context.fleet_services().fleet.*remove)(who, request.param("id"));
    return no_content();
  };
}

}  // namespace fwhub::api
