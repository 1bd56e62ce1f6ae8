// spdlog configuration for all fwhub programs.
#include "fwhub/common/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>

namespace fwhub {

void init_logging(const LogConfig& config, const std::string& program) {
  auto logger = spdlog::stderr_logger_mt(program);
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %n[%P] %l %v");
  logger->set_level(spdlog::level::from_str(config.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace fwhub
