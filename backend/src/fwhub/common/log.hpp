// Logging set-up: spdlog to stderr (journald or the stack's log files), level from the config.
#pragma once

#include <spdlog/spdlog.h>

#include "fwhub/common/config.hpp"

namespace fwhub {

// `program` names the process in every line (fwhub-api, fwhub-scheduler, ...).
void init_logging(const LogConfig& config, const std::string& program);

}  // namespace fwhub
