// Fuzzes fwtool metadata trailers of uploaded images: the first two bytes say how many zero bytes
// precede the tail in the file, the rest is the tail. Malformed trailers are refused with Error
// only; blocks lie inside the file with the metadata block first in the file; and with every
// trailer's CRC set to the true value the image reads the same and passes the CRC check.
#include <algorithm>
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/common/status.hpp"
#include "fwhub/domain/firmware/fwtool_metadata.hpp"

using fwhub::domain::firmware::FwtoolCrc;
using fwhub::domain::firmware::FwtoolMetadata;

namespace {

std::optional<FwtoolMetadata> read(std::string_view tail, std::uint64_t file_size) {
  try {
    return fwhub::domain::firmware::read_fwtool_metadata(tail, file_size);
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kUnprocessable);
    return std::nullopt;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  const std::size_t before = (std::size_t{data[0]} << 8U) | data[1];
  std::string tail(
      fwhub::fuzz::as_text(data + 2, size - 2));  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  const std::uint64_t file_size = before + tail.size();
  const auto metadata = read(tail, file_size);
  if (!metadata) {
    return 0;
  }
  FUZZ_CHECK(!metadata->blocks.empty() && metadata->blocks.back().type == 1);
  FUZZ_CHECK(metadata->unsigned_size <= file_size);
  FUZZ_CHECK(metadata->is_signed == (metadata->blocks.size() > 1));
  for (const auto& block : metadata->blocks) {
    FUZZ_CHECK(block.data_offset >= before && block.data_offset <= block.trailer_offset);
    FUZZ_CHECK(block.trailer_offset + 16 <= file_size);
    FUZZ_CHECK(block.trailer_offset + 16 <= metadata->unsigned_size || block.type == 0);
  }
  FwtoolCrc prefix;
  prefix.update(std::string(before, '\0'));
  auto blocks = metadata->blocks;
  std::sort(blocks.begin(), blocks.end(),
            [](const auto& a, const auto& b) { return a.trailer_offset < b.trailer_offset; });
  for (const auto& block : blocks) {
    FwtoolCrc crc = prefix;
    const std::size_t at = block.trailer_offset - before;
    crc.update(std::string_view(tail).substr(0, at));
    for (std::size_t i = 0; i < 4; ++i) {
      tail[at + 4 + i] = static_cast<char>((crc.value() >> (24 - 8 * i)) & 0xffU);
    }
  }
  const auto fixed = read(tail, file_size);
  FUZZ_CHECK(fixed.has_value() && fixed->supported_devices == metadata->supported_devices);
  FUZZ_CHECK(fixed->blocks.size() == metadata->blocks.size() && fixed->version == metadata->version);
  try {
    fwhub::domain::firmware::check_fwtool_crc(*fixed, prefix, tail, file_size);
  } catch (const fwhub::Error& error) {
    fwhub::fuzz::property_failed(error.what(), __FILE__, __LINE__);  // the true CRCs were refused
  }
  return 0;
}
