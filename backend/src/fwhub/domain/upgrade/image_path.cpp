// Where an upgrade puts the image on the device.
#include "fwhub/domain/upgrade/image_path.hpp"

#include <cctype>

namespace fwhub::domain::upgrade {

std::string image_path_on_device(std::string_view file_name) {
  std::string path = "/tmp/";
  for (const char c : file_name) {
    const bool plain = std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '+' || c == '-';
    path += plain ? c : '_';
  }
  return path;
}

}  // namespace fwhub::domain::upgrade
