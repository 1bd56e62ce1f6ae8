// The periodic "catalog_sync" job kind: sync from upstream, then publish the static documents.
#pragma once

#include "fwhub/common/config.hpp"
#include "fwhub/scheduler/job_kind_registry.hpp"

namespace fwhub::scheduler {

inline constexpr const char* kCatalogSyncKind = "catalog_sync";

JobKind make_catalog_sync_job(const Config& config);

// Syncs and publishes once, outside the scheduler (fwhub-admin sync --here, tests).
Status run_catalog_sync(const Config& config);

}  // namespace fwhub::scheduler
