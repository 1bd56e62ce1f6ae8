// Which boards an image type fits: the custom_images setting, the built-in table and the synced
// catalog (the image's target's profiles.json documents, newest release first).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "fwhub/domain/firmware/image_types.hpp"

namespace fwhub::service {

class ImageBoards {
 public:
  // profiles_of_target("ath79/generic") → that target's profiles.json documents.
  using ProfilesOfTarget = std::function<std::vector<std::string>(const std::string& target)>;

  ImageBoards(std::vector<domain::firmware::ImageType> custom, ProfilesOfTarget profiles_of_target);

  // Boards of the type (board names and model strings); `target_hint` ("ath79/generic", from the
  // image's metadata) narrows the catalog lookup, otherwise the target is read from the type name.
  std::vector<std::string> boards_for(const std::string& type, const std::string& target_hint);

 private:
  domain::firmware::ImageTypeTable fixed_;
  ProfilesOfTarget profiles_of_target_;
};

}  // namespace fwhub::service
