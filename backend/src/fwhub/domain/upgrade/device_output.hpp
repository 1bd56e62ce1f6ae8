// Reading what OpenWrt devices print: /etc/openwrt_release, /proc/meminfo, and the report of
// "refresh device info" that holds both.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "fwhub/domain/upgrade/upgrade_store.hpp"

namespace fwhub::domain::upgrade {

// KEY='value' lines of /etc/openwrt_release (DISTRIB_ID, DISTRIB_RELEASE, DISTRIB_REVISION, …).
std::map<std::string, std::string> parse_openwrt_release(std::string_view text);

// MemAvailable (or MemFree when absent) in bytes; nullopt when neither is there (a value whose
// bytes do not fit 64 bits counts as not there).
std::optional<std::uint64_t> available_memory(std::string_view meminfo);

// The line "refresh device info" prints between its four sources.
inline constexpr std::string_view kReportMarker = "--fwhub--";

// The output of `cat /tmp/sysinfo/model; echo MARKER; cat /tmp/sysinfo/board_name; echo MARKER;
// cat /etc/openwrt_release; echo MARKER; cat /proc/meminfo`: model and board name (first line of
// each), os (DISTRIB_DESCRIPTION) and free memory. nullopt unless there are exactly four sources.
std::optional<DeviceFacts> parse_device_report(std::string_view output);

}  // namespace fwhub::domain::upgrade
