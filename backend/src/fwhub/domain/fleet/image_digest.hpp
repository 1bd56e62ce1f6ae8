// What is taken from a firmware image while its bytes stream past (upload or copy): size with
// a limit, SHA-256, the first bytes, and the last bytes with the fwtool CRC of everything before.
#pragma once

#include <cstdint>
#include <string_view>

#include "fwhub/common/sha256.hpp"
#include "fwhub/domain/fleet/uploaded_image.hpp"

namespace fwhub::domain::fleet {

class ImageDigest {
 public:
  // max_bytes: 0 = unlimited; more bytes are Error kPayloadTooLarge.
  explicit ImageDigest(std::uint64_t max_bytes) : max_bytes_(max_bytes) {}

  void add(std::string_view bytes);
  // Fills size, sha256, head, tail and crc_before_tail of `image`; call once, at the end.
  void finish(UploadedImage& image);

 private:
  std::uint64_t max_bytes_;
  std::uint64_t size_ = 0;
  Sha256Stream sha256_;
  std::string head_;
  std::string tail_;
  firmware::FwtoolCrc crc_before_tail_;
};

}  // namespace fwhub::domain::fleet
