// strftime over gmtime_r.
#include "fwhub/common/utc_time.hpp"

#include <array>
#include <ctime>

namespace fwhub {

std::string format_utc(std::int64_t epoch, const char* format) {
  const std::time_t seconds = epoch;
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  std::array<char, 64> text{};
  std::strftime(text.data(), text.size(), format, &utc);
  return text.data();
}

std::string format_utc_now(const char* format) {
  return format_utc(std::time(nullptr), format);
}

}  // namespace fwhub
