// Port: where uploaded firmware images live (sys::FirmwareFolder keeps them under the state folder).
#pragma once

#include <string>

namespace fwhub::domain::fleet {

class FirmwareFiles {
 public:
  virtual ~FirmwareFiles() = default;
  // A new file to receive an upload into (in the same file system as the images).
  virtual std::string incoming_path() = 0;
  // Moves a received file to <build>/<file name> (one rename).
  virtual void adopt(const std::string& incoming, const std::string& build_id, const std::string& file_name) = 0;
  virtual void discard(const std::string& incoming) = 0;
  virtual void remove_image(const std::string& build_id, const std::string& file_name) = 0;
  virtual void remove_build(const std::string& build_id) = 0;
  // The path nginx serves a private download from, relative to its internal location.
  [[nodiscard]] virtual std::string download_path(const std::string& build_id, const std::string& file_name) const = 0;
};

}  // namespace fwhub::domain::fleet
