// Fuzzes the build request body (POST /api/v1/build): parse_build_request must answer with either
// a request or field errors, and an accepted request's canonical JSON must parse back to a request
// with the same hash.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/domain/build/build_request.hpp"

using fwhub::domain::build::Limits;
using fwhub::domain::build::parse_build_request;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Limits limits;
  const auto result = parse_build_request(fwhub::fuzz::as_text(data, size), limits);
  FUZZ_CHECK(result.request.has_value() == result.errors.empty());
  for (const auto& error : result.errors) {
    FUZZ_CHECK(!error.type.empty() && !error.location.empty() && error.location.front() == "body");
  }
  if (!result.request) {
    return 0;
  }
  const auto& request = *result.request;
  FUZZ_CHECK(request.profile.find(',') == std::string::npos);
  FUZZ_CHECK(request.packages.size() <= limits.max_packages);
  FUZZ_CHECK(!request.rootfs_size_mb ||
             (*request.rootfs_size_mb >= 1 && *request.rootfs_size_mb <= limits.max_custom_rootfs_size_mb));
  const std::string json = fwhub::domain::build::request_json(request, request.profile);
  const auto again = parse_build_request(json, limits);
  FUZZ_CHECK(again.request.has_value());
  FUZZ_CHECK(fwhub::domain::build::request_hash(*again.request, again.request->profile) ==
             fwhub::domain::build::request_hash(request, request.profile));
  FUZZ_CHECK(fwhub::domain::build::request_json(*again.request, again.request->profile) == json);
  return 0;
}
