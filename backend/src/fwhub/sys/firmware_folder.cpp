// File operations of the firmware folder; ids are UUIDs and file names are checked by the
// service (no "/" or ".."), so paths never leave the folder.
#include "fwhub/sys/firmware_folder.hpp"

#include <spdlog/spdlog.h>

#include "fwhub/common/random.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::sys {

namespace fs = std::filesystem;

std::string FirmwareFolder::incoming_path() {
  const fs::path folder = root_ / ".incoming";
  fs::create_directories(folder);
  return (folder / random_hex(16)).string();
}

void FirmwareFolder::adopt(const std::string& incoming, const std::string& build_id, const std::string& file_name) {
  const fs::path folder = root_ / build_id;
  fs::create_directories(folder);
  fs::rename(incoming, folder / file_name);
}

void FirmwareFolder::discard(const std::string& incoming) {
  std::error_code ignored;
  fs::remove(incoming, ignored);
}

void FirmwareFolder::remove_image(const std::string& build_id, const std::string& file_name) {
  std::error_code error;
  fs::remove(root_ / build_id / file_name, error);
  if (error) {
    spdlog::warn("removing firmware {}/{}: {}", build_id, file_name, error.message());
  }
  fs::remove(root_ / build_id, error);  // only when now empty
}

void FirmwareFolder::remove_build(const std::string& build_id) {
  std::error_code error;
  fs::remove_all(root_ / build_id, error);
  if (error) {
    spdlog::warn("removing firmware folder {}: {}", build_id, error.message());
  }
}

std::string FirmwareFolder::download_path(const std::string& build_id, const std::string& file_name) const {
  return build_id + "/" + file_name;
}

}  // namespace fwhub::sys
