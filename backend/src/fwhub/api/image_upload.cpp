// Streaming upload receiver: file part to disk, the tail kept for the fwtool trailer.
#include "fwhub/api/image_upload.hpp"

#include <array>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::api {
namespace {

constexpr std::size_t kMaxTypeBytes = 1024;

}  // namespace

ImageUpload::ImageUpload(std::string incoming_path, std::uint64_t max_bytes) : digest_(max_bytes) {
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
  digest_.finish(image_);
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
  digest_.add(bytes);
  out_.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out_) {
    throw Error(Code::kResourceExhausted, "the firmware folder is full");
  }
}

void ImageUpload::end_part() {
  if (part_ == Part::kFile) {
    out_.close();
    if (!out_) {
      throw Error(Code::kResourceExhausted, "the firmware folder is full");
    }
  }
  part_ = Part::kNone;
}

}  // namespace fwhub::api
