// The "fleet_attach" job kind: attaches the image of a finished catalog build to the fleet
// builds waiting for it (or records why it could not).
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

inline constexpr const char* kFleetAttachKind = "fleet_attach";

JobKind make_fleet_attach_job(const Config& config);

}  // namespace fwhub::scheduler
