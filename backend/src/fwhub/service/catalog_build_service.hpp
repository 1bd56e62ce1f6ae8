// Firmware builds made from the catalog: an operator names version, target, profiles and
// packages (and a first-boot script); one image build per profile is requested through the
// ASU build path, and each finished image is attached to the fleet build by the scheduler's
// fleet_attach job.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "fwhub/domain/fleet/fleet_store.hpp"
#include "fwhub/domain/fleet/principal.hpp"
#include "fwhub/service/build_service.hpp"
#include "fwhub/service/fleet_service.hpp"

namespace fwhub::service {

struct RequestedImage {
  std::string profile;
  std::string request_hash;
};

class CatalogBuildService {
 public:
  CatalogBuildService(FleetService& fleet, BuildService& builds, domain::fleet::FleetStore& store, const Config& config)
      : fleet_(fleet), builds_(builds), store_(store), config_(config) {}

  // body: an ASU build request with "profiles": [..] (1 to 64) instead of "profile". Throws
  // ValidationError (field errors of the request), the BuildService's errors, or kNotFound /
  // kPermissionDenied for the fleet build.
  std::vector<RequestedImage> request(const domain::fleet::Principal& who, const std::string& build_id,
                                      std::string_view body);

 private:
  FleetService& fleet_;
  BuildService& builds_;
  domain::fleet::FleetStore& store_;
  const Config& config_;
};

}  // namespace fwhub::service
