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

std::optional<std::int64_t> parse_iso_utc(std::string_view text) {
  // Digits at [at, at + count) as a number; -1 when they are not all digits.
  const auto digits = [&text](std::size_t at, std::size_t count) {
    int value = 0;
    if (at + count > text.size()) {
      return -1;
    }
    for (std::size_t i = at; i < at + count; ++i) {
      if (text[i] < '0' || text[i] > '9') {
        return -1;
      }
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  if (text.size() < 16 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != ' ') || text[13] != ':') {
    return std::nullopt;
  }
  std::tm utc{};
  const int year = digits(0, 4);
  const int month = digits(5, 2);
  const int day = digits(8, 2);
  const int hour = digits(11, 2);
  const int minute = digits(14, 2);
  int second = 0;
  std::size_t at = 16;
  if (at < text.size() && text[at] == ':') {
    second = digits(at + 1, 2);
    at += 3;
    if (at < text.size() && text[at] == '.') {
      ++at;
      const std::size_t begin = at;
      while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
        ++at;
      }
      if (at == begin) {
        return std::nullopt;
      }
    }
  }
  int offset = 0;
  if (at < text.size() && text[at] == 'Z') {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    const int hours = digits(at + 1, 2);
    const int minutes = at + 3 < text.size() && text[at + 3] == ':' ? digits(at + 4, 2) : -1;
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
      return std::nullopt;
    }
    offset = (text[at] == '+' ? 1 : -1) * (hours * 3600 + minutes * 60);
    at += 6;
  }
  if (at != text.size() || year < 1970 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 ||
      minute > 59 || second < 0 || second > 59) {
    return std::nullopt;
  }
  utc.tm_year = year - 1900;
  utc.tm_mon = month - 1;
  utc.tm_mday = day;
  utc.tm_hour = hour;
  utc.tm_min = minute;
  utc.tm_sec = second;
  const std::time_t epoch = timegm(&utc);
  if (utc.tm_mday != day) {
    return std::nullopt;  // timegm normalised an impossible date such as February 30
  }
  return static_cast<std::int64_t>(epoch) - offset;
}

std::string format_utc_now(const char* format) {
  return format_utc(std::time(nullptr), format);
}

}  // namespace fwhub
