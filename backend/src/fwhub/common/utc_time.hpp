// UTC timestamps as text: one formatter for documents, statistics days and build results.
#pragma once

#include <cstdint>
#include <string>

namespace fwhub {

// `epoch` (seconds) in UTC with a strftime format.
std::string format_utc(std::int64_t epoch, const char* format);

// The current time in UTC with a strftime format.
std::string format_utc_now(const char* format);

// "2026-11-25T16:27:10.000000Z", the form ASU's documents use.
inline constexpr const char* kIsoFormat = "%Y-%m-%dT%H:%M:%S.000000Z";
// "2026-11-25".
inline constexpr const char* kDayFormat = "%Y-%m-%d";

}  // namespace fwhub
