// Fuzzes upstream's profiles.json, as the catalog sync and the image types read it: malformed
// documents are refused with Error only; an image type lists each board once; titles are kept as a
// JSON array; an accepted document, written out again from what was read, reads the same.
#include <rapidjson/document.h>

#include <set>

#include "fuzz/fuzz_check.hpp"
#include "fuzz/upstream_json.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/upstream_documents.hpp"
#include "fwhub/domain/firmware/image_types.hpp"

using fwhub::domain::catalog::parse_profiles_file;
using fwhub::domain::catalog::ProfilesFile;

namespace {

bool same(const ProfilesFile& a, const ProfilesFile& b) {
  if (a.target != b.target || a.arch_packages != b.arch_packages || a.version_code != b.version_code ||
      a.version_number != b.version_number || a.profiles.size() != b.profiles.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.profiles.size(); ++i) {
    const auto& p = a.profiles[i];
    const auto& q = b.profiles[i];
    if (p.id != q.id || p.titles_json != q.titles_json || p.supported_devices != q.supported_devices) {
      return false;
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fwhub::fuzz::as_text(data, size);
  try {
    for (const auto& type : fwhub::domain::firmware::image_types_from_profiles_json(text)) {
      FUZZ_CHECK(std::set<std::string>(type.boards.begin(), type.boards.end()).size() == type.boards.size());
    }
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
  }
  ProfilesFile file;
  try {
    file = parse_profiles_file(text);
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    return 0;
  }
  fwhub::fuzz::JsonText json;
  json.start_object()
      .key("target")
      .string(file.target)
      .key("arch_packages")
      .string(file.arch_packages)
      .key("version_code")
      .string(file.version_code)
      .key("version_number")
      .string(file.version_number)
      .key("profiles")
      .start_object();
  for (const auto& profile : file.profiles) {
    rapidjson::Document titles;
    titles.Parse(profile.titles_json.data(), profile.titles_json.size());
    FUZZ_CHECK(!titles.HasParseError() && titles.IsArray());
    json.key(profile.id).start_object().key("titles").raw(profile.titles_json);
    json.key("supported_devices").strings(profile.supported_devices).end_object();
  }
  json.end_object().end_object();
  FUZZ_CHECK(same(parse_profiles_file(json.text()), file));
  return 0;
}
