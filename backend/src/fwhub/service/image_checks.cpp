// Image checks in the order a person fixing their upload needs them: name, content, type, boards.
#include "fwhub/service/image_checks.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>

#include "fwhub/common/utf8.hpp"
#include "fwhub/domain/firmware/image_types.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::service {
namespace {

using domain::fleet::ValidationError;

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.ends_with(suffix);
}

std::string metadata_json(const domain::firmware::FwtoolMetadata& metadata) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  const auto string = [&w](const char* key, const std::string& value) {
    w.Key(key);
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  };
  w.StartObject();
  string("dist", metadata.dist);
  string("version", metadata.version);
  string("revision", metadata.revision);
  string("target", metadata.target);
  string("board", metadata.board);
  w.Key("supported_devices");
  w.StartArray();
  for (const auto& device : metadata.supported_devices) {
    w.String(device.c_str(), static_cast<rapidjson::SizeType>(device.size()));
  }
  w.EndArray();
  w.Key("signed");
  w.Bool(metadata.is_signed);
  w.EndObject();
  return {buffer.GetString(), buffer.GetSize()};
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

// Without fwtool metadata, the file must still be what its type's extension says.
void check_format(const std::string& type, const std::string& head) {
  if ((ends_with(type, "sysupgrade.bin") || ends_with(type, "sysupgrade.itb"))) {
    throw ValidationError("file",
                          "This is not an OpenWrt sysupgrade image: it carries no firmware metadata "
                          "(fwtool trailer), so it cannot be checked against the device before flashing.");
  }
  if (ends_with(type, ".gz") && !(head.size() >= 2 && head[0] == '\x1f' && head[1] == '\x8b')) {
    throw ValidationError("file", "The type says a gzip-compressed image (.gz), but the file is not gzip data.");
  }
  if (ends_with(type, ".tar") && (head.size() < 262 || head.compare(257, 5, "ustar") != 0)) {
    throw ValidationError("file", "The type says a tar archive (.tar), but the file is not a tar archive.");
  }
}

}  // namespace

bool safe_file_name(const std::string& name) {
  if (name.empty() || name.size() > 255 || name.front() == '.' || !valid_utf8(name)) {
    return false;
  }
  // nginx decodes '%' and cuts at '?' in the download's X-Accel-Redirect: such a file could be
  // stored but never downloaded (404).
  return std::none_of(name.begin(), name.end(), [](char c) {
    return c == '/' || c == '\\' || c == '%' || c == '?' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
  });
}

CheckedImage check_image(const domain::fleet::UploadedImage& upload, ImageBoards& boards) {
  if (!safe_file_name(upload.file_name)) {
    throw ValidationError("file", kFileNameRule);
  }
  if (upload.size == 0) {
    throw ValidationError("file", "The submitted file is empty.");
  }
  CheckedImage checked;
  checked.type =
      upload.type && !upload.type->empty() ? *upload.type : domain::firmware::type_from_filename(upload.file_name);
  if (checked.type.size() > 128) {
    throw ValidationError("type", "Ensure this field has no more than 128 characters.");
  }
  std::optional<domain::firmware::FwtoolMetadata> metadata;
  try {
    metadata = domain::firmware::read_fwtool_metadata(upload.tail, upload.size);
    if (metadata) {
      domain::firmware::check_fwtool_crc(*metadata, upload.crc_before_tail, upload.tail, upload.size);
    }
  } catch (const Error& error) {
    throw ValidationError("file", std::string("The image is damaged: ") + error.what());
  }
  if (!metadata) {
    check_format(checked.type, upload.head);
  }
  checked.boards = boards.boards_for(checked.type, metadata ? metadata->target : "");
  if (metadata) {
    const bool table_knows_type = !checked.boards.empty();
    const bool matches = std::any_of(
        metadata->supported_devices.begin(), metadata->supported_devices.end(), [&checked](const std::string& d) {
          return std::find(checked.boards.begin(), checked.boards.end(), d) != checked.boards.end();
        });
    if (table_knows_type && !matches) {
      throw ValidationError("type", "The image is for " + joined(metadata->supported_devices) + ", but type \"" +
                                        checked.type + "\" is for " + joined(checked.boards) + ".");
    }
    for (const auto& device : metadata->supported_devices) {
      if (std::find(checked.boards.begin(), checked.boards.end(), device) == checked.boards.end()) {
        checked.boards.push_back(device);
      }
    }
    checked.metadata_json = metadata_json(*metadata);
    if (!metadata->version.empty()) {
      checked.os =
          metadata->dist + " " + metadata->version + (metadata->revision.empty() ? "" : " ") + metadata->revision;
    }
  } else {
    checked.metadata_json = "{}";
  }
  if (checked.boards.empty()) {
    throw ValidationError("type", "Could not find boards for this type");
  }
  return checked;
}

}  // namespace fwhub::service
