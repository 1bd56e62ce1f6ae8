// Receives a multipart firmware upload straight to disk: the "file" part is written to an
// incoming file while its SHA-256, fwtool CRC, first and last bytes are taken on the way; the
// "type" part is kept. Memory stays bounded whatever the file size.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

#include "fwhub/api/multipart_parser.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/common/sha256.hpp"
#include "fwhub/domain/fleet/uploaded_image.hpp"

namespace fwhub::api {

class ImageUpload final : public MultipartSink {
 public:
  // max_bytes: 0 = unlimited; a larger file is Error kPayloadTooLarge.
  ImageUpload(std::string incoming_path, std::uint64_t max_bytes);

  // Reads the whole body through the parser. Throws Error kInvalidArgument (malformed body, no
  // "file" part) or kPayloadTooLarge; the caller discards the incoming file on errors.
  domain::fleet::UploadedImage receive(const std::string& content_type, const BodyReader& read);

  void begin_part(const PartHeaders& headers) override;
  void data(std::string_view bytes) override;
  void end_part() override;

 private:
  enum class Part { kNone, kFile, kType, kIgnored };

  std::uint64_t max_bytes_;
  domain::fleet::UploadedImage image_;
  std::ofstream out_;
  Sha256Stream sha256_;
  Part part_ = Part::kNone;
  bool have_file_ = false;
  std::string type_;
};

}  // namespace fwhub::api
