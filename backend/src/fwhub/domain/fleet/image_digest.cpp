// Bounded-memory digest of a streamed image: a sliding tail window of kFwtoolTailBytes.
#include "fwhub/domain/fleet/image_digest.hpp"

#include <string>

#include "fwhub/common/status.hpp"

namespace fwhub::domain::fleet {
namespace {

constexpr std::size_t kHeadBytes = 512;

}  // namespace

void ImageDigest::add(std::string_view bytes) {
  size_ += bytes.size();
  if (max_bytes_ != 0 && size_ > max_bytes_) {
    throw Error(Code::kPayloadTooLarge,
                "the image is larger than the limit of " + std::to_string(max_bytes_) + " bytes");
  }
  sha256_.update(bytes);
  if (head_.size() < kHeadBytes) {
    head_.append(bytes.substr(0, kHeadBytes - head_.size()));
  }
  tail_.append(bytes);
  if (tail_.size() > 2 * firmware::kFwtoolTailBytes) {  // slide the window now and then, not per chunk
    const std::size_t drop = tail_.size() - firmware::kFwtoolTailBytes;
    crc_before_tail_.update(std::string_view(tail_).substr(0, drop));
    tail_.erase(0, drop);
  }
}

void ImageDigest::finish(UploadedImage& image) {
  if (tail_.size() > firmware::kFwtoolTailBytes) {
    const std::size_t drop = tail_.size() - firmware::kFwtoolTailBytes;
    crc_before_tail_.update(std::string_view(tail_).substr(0, drop));
    tail_.erase(0, drop);
  }
  image.size = size_;
  image.sha256 = sha256_.hex();
  image.head = std::move(head_);
  image.tail = std::move(tail_);
  image.crc_before_tail = crc_before_tail_;
}

}  // namespace fwhub::domain::fleet
