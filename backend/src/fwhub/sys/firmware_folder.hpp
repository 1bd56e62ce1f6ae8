// Firmware images on disk: <state_dir>/firmware/<build id>/<file name>, uploads received in
// <state_dir>/firmware/.incoming and renamed into place.
#pragma once

#include <filesystem>

#include "fwhub/domain/fleet/firmware_files.hpp"

namespace fwhub::sys {

class FirmwareFolder final : public domain::fleet::FirmwareFiles {
 public:
  explicit FirmwareFolder(std::filesystem::path root) : root_(std::move(root)) {}

  std::string incoming_path() override;
  void adopt(const std::string& incoming, const std::string& build_id, const std::string& file_name) override;
  void discard(const std::string& incoming) override;
  void remove_image(const std::string& build_id, const std::string& file_name) override;
  void remove_build(const std::string& build_id) override;
  [[nodiscard]] std::string download_path(const std::string& build_id, const std::string& file_name) const override;

 private:
  std::filesystem::path root_;
};

}  // namespace fwhub::sys
