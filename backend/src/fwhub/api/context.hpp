// What a handler may use: the services of the thread serving the request.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/domain/fleet/resource.hpp"
#include "fwhub/service/auth_service.hpp"
#include "fwhub/service/batch_service.hpp"
#include "fwhub/service/build_service.hpp"
#include "fwhub/service/catalog_build_service.hpp"
#include "fwhub/service/catalog_queries.hpp"
#include "fwhub/service/fleet_service.hpp"
#include "fwhub/service/health_service.hpp"
#include "fwhub/service/operational_figures.hpp"
#include "fwhub/service/upgrade_service.hpp"

namespace fwhub::api {

class RequestMetrics;
class UploadSlots;

// The fleet management services of a thread.
struct FleetServices {
  service::AuthService& auth;
  service::FleetService& fleet;
  domain::fleet::ResourceQueries& resources;
  domain::fleet::FirmwareFiles& files;
  service::CatalogBuildService& catalog_builds;
  service::UpgradeService& upgrades;
  service::BatchService& batches;
};

// One per API thread; services share that thread's database connection.
struct Context {
  service::HealthService& health;
  service::CatalogQueries& catalog;
  service::BuildService& builds;
  const Config& config;
  FleetServices* fleet = nullptr;                   // null where a test composes only the public API
  const RequestMetrics* request_metrics = nullptr;  // the pool's shared counters (null: none)
  service::OperationalFigures* figures = nullptr;   // database figures for /api/v1/metrics (null: none)
  UploadSlots* upload_slots = nullptr;              // the worker's uploads in progress (null: not limited)

  // Throws Error kUnavailable when fleet management is not composed in.
  FleetServices& fleet_services() const;
};

}  // namespace fwhub::api
