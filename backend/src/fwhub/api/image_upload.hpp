// Receives a multipart firmware upload straight to disk: the "file" part is written to an
// incoming file while ImageDigest takes its facts on the way; the "type" part is kept. Memory
// stays bounded whatever the file size.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>

#include "fwhub/api/multipart_parser.hpp"
#include "fwhub/api/request.hpp"
#include "fwhub/domain/fleet/image_digest.hpp"
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

  domain::fleet::UploadedImage image_;
  domain::fleet::ImageDigest digest_;
  std::ofstream out_;
  Part part_ = Part::kNone;
  bool have_file_ = false;
  std::string type_;
};

}  // namespace fwhub::api
