// Streaming upload receiver: file part to disk, the tail kept for the fwtool trailer.
#include "fwhub/api/image_upload.hpp"

#include <array>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::api {
namespace {

constexpr std::size_t kHeadBytes = 512;
constexpr std::size_t kMaxTypeBytes = 1024;

}  // namespace

ImageUpload::ImageUpload(std::string incoming_path, std::uint64_t max_bytes) : max_bytes_(max_bytes) {
  image_.incoming_path = std::move(incoming_path);
}

domain::fleet::UploadedImage ImageUpload::receive(const std::string& content_type, const BodyReader& read) {
  const auto boundary = multipart_boundary(content_type);
  if (!boundary) {
    throw Error(Code::kInvalidArgument, "upload the image as multipart/form-data with a boundary");
  }
  MultipartParser parser(*boundary, *this);
  std::array<char, 65536> buffer{};
  for (;;) {
    const std::size_t got = read(buffer.data(), buffer.size());
    if (got == 0) {
      break;
    }
    parser.feed(std::string_view(buffer.data(), got));
  }
  parser.finish();
  if (!have_file_) {
    throw domain::fleet::ValidationError("file", "No file was submitted.");
  }
  if (!type_.empty()) {
    image_.type = type_;
  }
  image_.sha256 = sha256_.hex();
  return std::move(image_);
}

void ImageUpload::begin_part(const PartHeaders& headers) {
  if (headers.name == "file" && headers.filename && !have_file_) {
    part_ = Part::kFile;
    have_file_ = true;
    image_.file_name = *headers.filename;
    out_.open(image_.incoming_path, std::ios::binary | std::ios::trunc);
    if (!out_) {
      throw Error(Code::kInternal, "cannot write the incoming firmware file");
    }
  } else if (headers.name == "type" && !headers.filename) {
    part_ = Part::kType;
  } else {
    part_ = Part::kIgnored;
  }
}

void ImageUpload::data(std::string_view bytes) {
  if (part_ == Part::kType) {
    if (type_.size() + bytes.size() > kMaxTypeBytes) {
      throw Error(Code::kInvalidArgument, "the type field is too long");
    }
    type_.append(bytes);
    return;
  }
  if (part_ != Part::kFile) {
    return;
  }
  image_.size += bytes.size();
  if (max_bytes_ != 0 && image_.size > max_bytes_) {
    throw Error(Code::kPayloadTooLarge,
                "the image is larger than the limit of " + std::to_string(max_bytes_) + " bytes");
  }
  sha256_.update(bytes);
  if (image_.head.size() < kHeadBytes) {
    image_.head.append(bytes.substr(0, kHeadBytes - image_.head.size()));
  }
  // Keep the last kFwtoolTailBytes; what falls out of the window goes into the CRC state.
  image_.tail.append(bytes);
  if (image_.tail.size() > 2 * domain::firmware::kFwtoolTailBytes) {
    const std::size_t drop = image_.tail.size() - domain::firmware::kFwtoolTailBytes;
    image_.crc_before_tail.update(std::string_view(image_.tail).substr(0, drop));
    image_.tail.erase(0, drop);
  }
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out_) {
    throw Error(Code::kResourceExhausted, "the firmware folder is full");
  }
}

void ImageUpload::end_part() {
  if (part_ == Part::kFile) {
    if (image_.tail.size() > domain::firmware::kFwtoolTailBytes) {
      const std::size_t drop = image_.tail.size() - domain::firmware::kFwtoolTailBytes;
      image_.crc_before_tail.update(std::string_view(image_.tail).substr(0, drop));
      image_.tail.erase(0, drop);
    }
    out_.close();
    if (!out_) {
      throw Error(Code::kResourceExhausted, "the firmware folder is full");
    }
  }
  part_ = Part::kNone;
}

}  // namespace fwhub::api
