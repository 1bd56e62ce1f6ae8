// UTC timestamps as text: one formatter for documents, statistics days and build results.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace fwhub {

// `epoch` (seconds) in UTC with a strftime format.
std::string format_utc(std::int64_t epoch, const char* format);

// The current time in UTC with a strftime format.
std::string format_utc_now(const char* format);

// Seconds since the epoch of an ISO 8601 time "YYYY-MM-DDTHH:MM[:SS[.fraction]]" followed by
// "Z", "+HH:MM", "-HH:MM" or nothing (UTC); nullopt for anything else or an impossible date.
std::optional<std::int64_t> parse_iso_utc(std::string_view text);

// "2026-11-25 16:27:10": how MariaDB reads a DATETIME (the connections run in UTC).
inline constexpr const char* kSqlTimeFormat = "%Y-%m-%d %H:%M:%S";

// "2026-11-25T16:27:10.000000Z", the form ASU's documents use.
inline constexpr const char* kIsoFormat = "%Y-%m-%dT%H:%M:%S.000000Z";
// "2026-11-25".
inline constexpr const char* kDayFormat = "%Y-%m-%d";

}  // namespace fwhub
