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

// A file name safe to store as is and to download: UTF-8, no path separators, no leading dot, no
// control characters, neither % nor ? (the download's X-Accel-Redirect could not name the file).
bool safe_file_name(const std::string& name);
// The field error of a name safe_file_name refuses, naming what is allowed.
inline constexpr const char* kFileNameRule =
    "Give the file a plain name: letters (UTF-8), digits, spaces and punctuation except / \\ % ?; no control "
    "characters, no leading dot, at most 255 bytes.";

}  // namespace fwhub::service
