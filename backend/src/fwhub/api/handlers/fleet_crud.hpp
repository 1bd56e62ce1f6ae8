// Handlers of the plain fleet resources, made from a resource spec and a FleetService use case:
// list, read, create (201 with the object), replace/update (PUT/PATCH), delete (204).
#pragma once

#include <string>

#include "fwhub/api/router.hpp"
#include "fwhub/domain/fleet/resource.hpp"
#include "fwhub/service/fleet_service.hpp"

namespace fwhub::api {

using CreateCase = std::string (service::FleetService::*)(const domain::fleet::Principal&, domain::fleet::Input);
using UpdateCase = void (service::FleetService::*)(const domain::fleet::Principal&, const std::string&,
                                                   domain::fleet::Input);
using DeleteCase = void (service::FleetService::*)(const domain::fleet::Principal&, const std::string&);

Handler list_handler(const domain::fleet::ResourceSpec& spec);
// Reads the object named by the path parameter "id".
Handler get_handler(const domain::fleet::ResourceSpec& spec);
Handler create_handler(const domain::fleet::ResourceSpec& spec, CreateCase create);
Handler update_handler(const domain::fleet::ResourceSpec& spec, UpdateCase update, bool partial);
Handler delete_handler(DeleteCase remove);

}  // namespace fwhub::api
