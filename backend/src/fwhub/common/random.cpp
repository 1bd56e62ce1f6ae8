// OS-seeded random numbers and cryptographically random hex strings.
#include "fwhub/common/random.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>
#include <vector>

namespace fwhub {

SystemRandom::SystemRandom() : engine_(std::random_device{}()) {}

double SystemRandom::uniform() {
  const std::lock_guard lock(mutex_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine_);
}

std::string random_hex(std::size_t bytes) {
  std::vector<unsigned char> buffer(bytes);
  if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  static constexpr std::array<char, 16> kDigits = {'0', '1', '2', '3', '4', '5', '6', '7',
                                                   '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
  std::string out;
  out.reserve(bytes * 2);
  for (const unsigned char byte : buffer) {
    out.push_back(kDigits.at(byte >> 4U));
    out.push_back(kDigits.at(byte & 0x0FU));
  }
  return out;
}

std::string random_uuid() {
  std::string hex = random_hex(16);
  hex[12] = '4';                                               // version 4
  hex[16] = "89ab"[static_cast<unsigned char>(hex[16]) % 4U];  // RFC 4122 variant
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

}  // namespace fwhub
