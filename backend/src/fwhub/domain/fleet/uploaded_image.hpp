// A firmware image received from an upload, before it is checked and stored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "fwhub/domain/firmware/fwtool_metadata.hpp"

namespace fwhub::domain::fleet {

struct UploadedImage {
  std::string incoming_path;        // where the bytes are (FirmwareFiles::incoming_path)
  std::string file_name;            // as the client named it
  std::optional<std::string> type;  // the form's "type" field, when given
  std::uint64_t size = 0;
  std::string sha256;
  std::string tail;                     // the last kFwtoolTailBytes bytes (or all of a smaller file)
  firmware::FwtoolCrc crc_before_tail;  // fwtool CRC state over the bytes before `tail`
  std::string head;                     // the first bytes (format sniffing)
};

}  // namespace fwhub::domain::fleet
