// Counting the uploads in progress with one atomic: a slot is taken by compare-and-swap below the limit.
#include "fwhub/api/upload_slots.hpp"

#include <utility>

namespace fwhub::api {

UploadSlots::Slot::Slot(Slot&& other) noexcept : in_use_(std::exchange(other.in_use_, nullptr)) {}

UploadSlots::Slot::~Slot() {
  if (in_use_ != nullptr) {
    in_use_->fetch_sub(1);
  }
}

std::optional<UploadSlots::Slot> UploadSlots::try_take() {
  int current = in_use_.load();
  do {
    if (current >= limit_) {
      return std::nullopt;
    }
  } while (!in_use_.compare_exchange_weak(current, current + 1));
  return Slot(in_use_);
}

}  // namespace fwhub::api
