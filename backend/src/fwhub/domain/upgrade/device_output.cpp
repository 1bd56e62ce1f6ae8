// Line parsers for device output; hostile or truncated output yields empty results, never throws.
#include "fwhub/domain/upgrade/device_output.hpp"

#include <charconv>
#include <limits>
#include <vector>

namespace fwhub::domain::upgrade {
namespace {

template <typename Fn>
void each_line(std::string_view text, Fn&& fn) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    fn(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::map<std::string, std::string> parse_openwrt_release(std::string_view text) {
  std::map<std::string, std::string> values;
  each_line(text, [&values](std::string_view line) {
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      return;
    }
    std::string_view value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && (value.front() == '\'' || value.front() == '"') && value.back() == value.front()) {
      value = value.substr(1, value.size() - 2);
    }
    values[std::string(trim(line.substr(0, eq)))] = std::string(value);
  });
  return values;
}

std::optional<std::uint64_t> available_memory(std::string_view meminfo) {
  std::optional<std::uint64_t> available;
  std::optional<std::uint64_t> free;
  each_line(meminfo, [&](std::string_view line) {
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      return;
    }
    const std::string_view key = line.substr(0, colon);
    const std::string_view rest = trim(line.substr(colon + 1));
    std::uint64_t kb = 0;
    if (std::from_chars(rest.data(), rest.data() + rest.size(), kb).ec != std::errc() ||
        kb > std::numeric_limits<std::uint64_t>::max() / 1024) {
      return;
    }
    if (key == "MemAvailable") {
      available = kb * 1024;
    } else if (key == "MemFree") {
      free = kb * 1024;
    }
  });
  return available ? available : free;
}

std::optional<DeviceFacts> parse_device_report(std::string_view output) {
  const std::string marker = std::string(kReportMarker) + "\n";
  std::vector<std::string_view> parts;
  for (auto at = output.find(marker); at != std::string_view::npos; at = output.find(marker)) {
    parts.push_back(output.substr(0, at));
    output.remove_prefix(at + marker.size());
  }
  parts.push_back(output);
  if (parts.size() != 4) {
    return std::nullopt;
  }
  const auto first_line = [](std::string_view text) { return std::string(text.substr(0, text.find_first_of("\r\n"))); };
  DeviceFacts facts;
  facts.model = first_line(parts[0]);
  facts.board_name = first_line(parts[1]);
  const auto release = parse_openwrt_release(parts[2]);
  if (const auto it = release.find("DISTRIB_DESCRIPTION"); it != release.end()) {
    facts.os = it->second;
  }
  if (const auto bytes = available_memory(parts[3])) {
    facts.memory_free_kb = *bytes / 1024;
  }
  return facts;
}

}  // namespace fwhub::domain::upgrade
