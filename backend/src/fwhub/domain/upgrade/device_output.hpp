// Reading what OpenWrt devices print: /etc/openwrt_release and /proc/meminfo.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace fwhub::domain::upgrade {

// KEY='value' lines of /etc/openwrt_release (DISTRIB_ID, DISTRIB_RELEASE, DISTRIB_REVISION, …).
std::map<std::string, std::string> parse_openwrt_release(std::string_view text);

// MemAvailable (or MemFree when absent) in bytes; nullopt when neither is there.
std::optional<std::uint64_t> available_memory(std::string_view meminfo);

}  // namespace fwhub::domain::upgrade
