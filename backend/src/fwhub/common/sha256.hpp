// SHA-256 of strings and files, as lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace fwhub {

std::string sha256_hex(std::string_view data);

// SHA-256 of data arriving in pieces (streamed uploads).
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;
  void update(std::string_view data);
  // Lowercase hex; call once, at the end.
  std::string hex();

 private:
  struct State;
  State* state_;
};

}  // namespace fwhub
