// Board lookup: the fixed table first (custom entries, then built-in), then the catalog's
// profiles.json of the image's target.
#include "fwhub/service/image_boards.hpp"

namespace fwhub::service {
namespace {

// "ath79-generic-tplink_…" → "ath79/generic": OpenWrt image names start with target-subtarget.
std::string target_of_type(const std::string& type) {
  const auto first = type.find('-');
  if (first == std::string::npos) {
    return "";
  }
  const auto second = type.find('-', first + 1);
  if (second == std::string::npos) {
    return "";
  }
  return type.substr(0, first) + "/" + type.substr(first + 1, second - first - 1);
}

}  // namespace

ImageBoards::ImageBoards(std::vector<domain::firmware::ImageType> custom, ProfilesOfTarget profiles_of_target)
    : fixed_({std::move(custom), domain::firmware::builtin_image_types()}),
      profiles_of_target_(std::move(profiles_of_target)) {}

std::vector<std::string> ImageBoards::boards_for(const std::string& type, const std::string& target_hint) {
  auto boards = fixed_.boards_for(type);
  if (!boards.empty()) {
    return boards;
  }
  const std::string target = target_hint.empty() ? target_of_type(type) : target_hint;
  if (target.empty() || !profiles_of_target_) {
    return {};
  }
  for (const auto& document : profiles_of_target_(target)) {
    for (const auto& entry : domain::firmware::image_types_from_profiles_json(document)) {
      if (entry.type == type) {
        return entry.boards;
      }
    }
  }
  return {};
}

}  // namespace fwhub::service
