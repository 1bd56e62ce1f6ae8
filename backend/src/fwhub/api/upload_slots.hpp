// The image uploads one worker process receives at once. An upload holds an API thread for as
// long as its client sends, so beyond api.max_uploads a new one is refused at once (503) and
// the worker's other threads stay free for everything else.
#pragma once

#include <atomic>
#include <optional>

namespace fwhub::api {

class UploadSlots {
 public:
  // A taken slot; given back when destroyed.
  class Slot {
   public:
    explicit Slot(std::atomic<int>& in_use) : in_use_(&in_use) {}
    Slot(Slot&& other) noexcept;
    Slot& operator=(Slot&& other) = delete;
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    ~Slot();

   private:
    std::atomic<int>* in_use_;
  };

  explicit UploadSlots(int limit) : limit_(limit) {}

  // A slot, or nullopt when `limit` uploads are in progress. Never blocks.
  [[nodiscard]] std::optional<Slot> try_take();
  [[nodiscard]] int in_use() const { return in_use_.load(); }

 private:
  const int limit_;
  std::atomic<int> in_use_{0};
};

}  // namespace fwhub::api
