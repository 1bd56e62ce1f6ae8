// What a handler may use: the services of the thread serving the request.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/service/build_service.hpp"
#include "fwhub/service/catalog_queries.hpp"
#include "fwhub/service/health_service.hpp"

namespace fwhub::api {

// One per API thread; services share that thread's database connection.
struct Context {
  service::HealthService& health;
  service::CatalogQueries& catalog;
  service::BuildService& builds;
  const Config& config;
};

}  // namespace fwhub::api
