// The metadata OpenWrt's fwtool appends to a sysupgrade image (supported devices, version), read
// from the end of the image, and the CRC-32 check of its blocks for callers that stream the file.
//
// Block layout, from the end of the image: data, then a 16-byte big-endian trailer
//   magic "FWx0" (0x46577830) | crc32 | type (0 signature, 1 metadata) | 3 pad bytes | size
// where size = data length + 16 and crc32 covers the whole file up to the trailer (initial value
// ~0, no final inversion). Metadata data is an 8-byte header (version 0, flags) and JSON. A
// signature block (usign) may follow the metadata block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fwhub::domain::firmware {

// How many bytes from the end of an image callers pass to read_fwtool_metadata (the whole file
// when it is smaller). Real metadata and signature blocks take a few hundred bytes.
inline constexpr std::size_t kFwtoolTailBytes = std::size_t{64} * 1024;

struct FwtoolBlock {
  std::uint8_t type = 0;             // 0 signature, 1 metadata
  std::uint64_t data_offset = 0;     // in the file
  std::uint64_t trailer_offset = 0;  // in the file; the CRC covers [0, trailer_offset)
  std::uint32_t crc = 0;             // as stored in the trailer
};

struct FwtoolMetadata {
  std::string dist;                            // "OpenWrt"
  std::string version;                         // "23.05.4"
  std::string revision;                        // "r24012-d8dd03c46f"
  std::string target;                          // "ath79/generic"
  std::string board;                           // profile: "tplink_archer-c7-v5"
  std::string compat_version;                  // "1.0" when the image does not say
  std::vector<std::string> supported_devices;  // board names: "tplink,archer-c7-v5"
  bool is_signed = false;                      // a signature block follows the metadata block
  std::uint64_t unsigned_size = 0;             // file size without the signature block
  std::vector<FwtoolBlock> blocks;             // the metadata block and signature blocks, last first
};

// Reads the metadata from `tail`, the last bytes of an image of `file_size` bytes (callers pass
// up to kFwtoolTailBytes, or the whole file when it is smaller). Returns nullopt when the image
// ends without a fwtool trailer; throws Error(kUnprocessable) when a trailer is there but the
// blocks or the metadata are malformed (bad size, unknown block type, bad JSON, missing fields),
// and Error(kInvalidArgument) when `tail` is longer than `file_size`. Does not check the CRCs.
std::optional<FwtoolMetadata> read_fwtool_metadata(std::string_view tail, std::uint64_t file_size);

// fwtool's CRC-32 (the zlib polynomial, initial value ~0, no final inversion), fed in chunks.
class FwtoolCrc {
 public:
  void update(std::string_view bytes);
  [[nodiscard]] std::uint32_t value() const { return state_; }

 private:
  std::uint32_t state_ = 0xffffffffU;
};

// Checks the CRC of every block in `metadata` without the whole file in memory: `before_tail`
// has been fed exactly the bytes of the file that precede `tail` (an uploader streams the file
// through it and keeps the last kFwtoolTailBytes aside; with the whole file as `tail` it is a
// fresh FwtoolCrc). Throws Error(kUnprocessable) when a CRC does not match (a corrupt or
// truncated image) and Error(kInvalidArgument) when `tail` and `file_size` do not fit the blocks.
void check_fwtool_crc(const FwtoolMetadata& metadata, FwtoolCrc before_tail, std::string_view tail,
                      std::uint64_t file_size);

}  // namespace fwhub::domain::firmware
