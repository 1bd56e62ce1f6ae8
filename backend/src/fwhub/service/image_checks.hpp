// The checks an uploaded firmware image passes before it is stored: its name, its type and the
// boards that type fits, and its content (OpenWrt fwtool metadata and CRC, or the format the
// type's file extension promises).
#pragma once

#include <string>
#include <vector>

#include "fwhub/domain/fleet/uploaded_image.hpp"
#include "fwhub/service/image_boards.hpp"

namespace fwhub::service {

struct CheckedImage {
  std::string type;
  std::vector<std::string> boards;
  std::string metadata_json;  // {"dist","version","revision","target","board","supported_devices","signed"} or {}
  std::string os;             // "OpenWrt 23.05.4 r24012-d8dd03c46f" from the metadata, or ""
};

// Throws domain::fleet::ValidationError (fields "file" and "type") with the reason.
CheckedImage check_image(const domain::fleet::UploadedImage& upload, ImageBoards& boards);

// A file name safe to store as is: no path separators, no leading dot, no control characters.
bool safe_file_name(const std::string& name);

}  // namespace fwhub::service
