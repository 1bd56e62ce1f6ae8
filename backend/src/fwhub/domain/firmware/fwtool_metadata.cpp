// fwtool trailer walking, metadata JSON reading and the streaming CRC-32 check.
#include "fwhub/domain/firmware/fwtool_metadata.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <array>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::domain::firmware {
namespace {

constexpr std::uint32_t kMagic = 0x46577830;  // "FWx0"
constexpr std::size_t kTrailerBytes = 16;
constexpr std::size_t kHeaderBytes = 8;  // metadata: version, flags
constexpr std::uint8_t kTypeSignature = 0;
constexpr std::uint8_t kTypeMetadata = 1;
// OpenWrt appends one metadata block and at most one signature; a few more are tolerated.
constexpr int kMaxBlocks = 4;

[[noreturn]] void reject(const std::string& what) {
  throw Error(Code::kUnprocessable, "fwtool metadata: " + what);
}

std::uint32_t be32(std::string_view bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    value = (value << 8) | static_cast<unsigned char>(bytes[at + i]);
  }
  return value;
}

struct Trailer {
  std::uint32_t magic = 0;
  std::uint32_t crc = 0;
  std::uint8_t type = 0;
  std::uint32_t size = 0;
};

Trailer trailer_at(std::string_view tail, std::size_t at) {
  return {be32(tail, at), be32(tail, at + 4), static_cast<std::uint8_t>(tail[at + 8]), be32(tail, at + 12)};
}

const std::array<std::uint32_t, 256>& crc_table() {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int bit = 0; bit < 8; ++bit) {
        c = (c & 1U) != 0 ? 0xedb88320U ^ (c >> 1) : c >> 1;
      }
      t[i] = c;
    }
    return t;
  }();
  return table;
}

std::string string_member(const rapidjson::Value& object, const char* name, const char* where) {
  const auto it = object.FindMember(name);
  if (it == object.MemberEnd()) {
    reject(std::string("missing \"") + where + name + "\"");
  }
  if (!it->value.IsString()) {
    reject(std::string("\"") + where + name + "\" is not a string");
  }
  return {it->value.GetString(), it->value.GetStringLength()};
}

void read_json(std::string_view json, FwtoolMetadata& metadata) {
  rapidjson::Document document;
  // Iterative parsing: nesting depth cannot exhaust the stack.
  if (const std::string reason = parse_json(document, json); !reason.empty()) {
    reject(reason);
  }
  if (!document.IsObject()) {
    reject("the JSON is not an object");
  }
  const auto devices = document.FindMember("supported_devices");
  if (devices == document.MemberEnd() || !devices->value.IsArray()) {
    reject("\"supported_devices\" is missing or not a list");
  }
  for (const auto& device : devices->value.GetArray()) {
    if (!device.IsString()) {
      reject("\"supported_devices\" holds a value that is not a string");
    }
    metadata.supported_devices.emplace_back(device.GetString(), device.GetStringLength());
  }
  const auto version = document.FindMember("version");
  if (version == document.MemberEnd() || !version->value.IsObject()) {
    reject("\"version\" is missing or not an object");
  }
  metadata.dist = string_member(version->value, "dist", "version.");
  metadata.version = string_member(version->value, "version", "version.");
  metadata.revision = string_member(version->value, "revision", "version.");
  metadata.target = string_member(version->value, "target", "version.");
  metadata.board = string_member(version->value, "board", "version.");
  // Images older than metadata_version 1.1 carry no compat_version; sysupgrade reads them as 1.0.
  metadata.compat_version =
      document.HasMember("compat_version") ? string_member(document, "compat_version", "") : std::string("1.0");
}

}  // namespace

std::optional<FwtoolMetadata> read_fwtool_metadata(std::string_view tail, std::uint64_t file_size) {
  if (tail.size() > file_size) {
    throw Error(Code::kInvalidArgument, "fwtool metadata: the tail is longer than the file");
  }
  const std::uint64_t tail_start = file_size - tail.size();
  FwtoolMetadata metadata;
  std::size_t end = tail.size();  // end of the current block, in `tail`
  for (int blocks = 0; blocks < kMaxBlocks; ++blocks) {
    if (end < kTrailerBytes) {
      break;
    }
    const Trailer trailer = trailer_at(tail, end - kTrailerBytes);
    if (trailer.magic != kMagic) {
      break;
    }
    if (trailer.size < kTrailerBytes) {
      reject("block size " + std::to_string(trailer.size) + " is smaller than its trailer");
    }
    if (trailer.size > end) {
      reject("block size " + std::to_string(trailer.size) + " exceeds the " + std::to_string(end) +
             " bytes before it that were read");
    }
    const std::size_t start = end - trailer.size;
    const std::string_view data = tail.substr(start, trailer.size - kTrailerBytes);
    metadata.blocks.push_back({trailer.type, tail_start + start, tail_start + end - kTrailerBytes, trailer.crc});
    if (trailer.type == kTypeSignature) {
      metadata.is_signed = true;
      metadata.unsigned_size = tail_start + start;
      end = start;
      continue;
    }
    if (trailer.type != kTypeMetadata) {
      reject("unknown block type " + std::to_string(trailer.type));
    }
    if (data.size() < kHeaderBytes) {
      reject("the metadata block is shorter than its 8-byte header");
    }
    if (be32(data, 0) != 0) {
      reject("unsupported metadata header version " + std::to_string(be32(data, 0)));
    }
    if (!metadata.is_signed) {
      metadata.unsigned_size = file_size;
    }
    read_json(data.substr(kHeaderBytes), metadata);
    return metadata;
  }
  if (metadata.blocks.empty()) {
    return std::nullopt;
  }
  reject(metadata.blocks.size() >= static_cast<std::size_t>(kMaxBlocks) ? "too many signature blocks"
                                                                        : "signature block without a metadata block");
}

void FwtoolCrc::update(std::string_view bytes) {
  const auto& table = crc_table();
  std::uint32_t crc = state_;
  for (const char byte : bytes) {
    crc = table[(crc ^ static_cast<unsigned char>(byte)) & 0xffU] ^ (crc >> 8);
  }
  state_ = crc;
}

void check_fwtool_crc(const FwtoolMetadata& metadata, FwtoolCrc before_tail, std::string_view tail,
                      std::uint64_t file_size) {
  if (tail.size() > file_size) {
    throw Error(Code::kInvalidArgument, "fwtool CRC: the tail is longer than the file");
  }
  const std::uint64_t tail_start = file_size - tail.size();
  std::vector<FwtoolBlock> blocks = metadata.blocks;
  std::sort(blocks.begin(), blocks.end(),
            [](const FwtoolBlock& a, const FwtoolBlock& b) { return a.trailer_offset < b.trailer_offset; });
  std::uint64_t fed = tail_start;  // bytes of the file fed to `before_tail` so far
  for (const auto& block : blocks) {
    if (block.trailer_offset < tail_start || block.trailer_offset + kTrailerBytes > file_size) {
      throw Error(Code::kInvalidArgument, "fwtool CRC: a block lies outside the tail that was passed");
    }
    before_tail.update(tail.substr(fed - tail_start, block.trailer_offset - fed));
    fed = block.trailer_offset;
    if (before_tail.value() != block.crc) {
      throw Error(Code::kUnprocessable, std::string("fwtool ") +
                                            (block.type == kTypeSignature ? "signature" : "metadata") +
                                            " block CRC mismatch: the image is corrupt or truncated");
    }
  }
}

}  // namespace fwhub::domain::firmware
