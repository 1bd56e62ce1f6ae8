// ISO 8601 times as the API accepts them (scheduled_at, deadline): forms, offsets, bad input.
#define BOOST_TEST_MODULE utc_time
#include <boost/test/unit_test.hpp>

#include "fwhub/common/utc_time.hpp"

using fwhub::format_utc;
using fwhub::parse_iso_utc;

BOOST_AUTO_TEST_CASE(accepted_forms_read_as_utc) {
  const auto epoch = parse_iso_utc("2026-11-25T10:00:00Z");
  BOOST_REQUIRE(epoch.has_value());
  BOOST_TEST(format_utc(*epoch, fwhub::kSqlTimeFormat) == "2026-11-25 10:00:00");
  BOOST_TEST(parse_iso_utc("2026-11-25T10:00").value_or(0) == *epoch);
  BOOST_TEST(parse_iso_utc("2026-11-25 10:00:00").value_or(0) == *epoch);
  BOOST_TEST(parse_iso_utc("2026-11-25T10:00:00.123456Z").value_or(0) == *epoch);
  BOOST_TEST(parse_iso_utc("2026-11-25T11:30:00+01:30").value_or(0) == *epoch);
  BOOST_TEST(parse_iso_utc("2026-11-25T08:00:00-02:00").value_or(0) == *epoch);
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused) {
  for (const char* text : {"", "tomorrow", "2026-11-25", "2026-13-01T00:00", "2026-02-30T00:00", "2026-11-25T24:00",
                           "2026-11-25T10:00:00+1", "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00Zjunk",
                           "1969-12-31T23:59:59Z", "２０２６-11-25T10:00"}) {
    BOOST_TEST(!parse_iso_utc(text).has_value(), text);
  }
}
