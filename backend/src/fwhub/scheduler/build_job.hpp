// The "build" job kind (one image build through the OpenWrt ImageBuilder) and the periodic
// "build_cleanup" kind (expired builds and their files, stale working copies).
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

JobKind make_build_job(const Config& config);
JobKind make_build_cleanup_job(const Config& config);

}  // namespace fwhub::scheduler
