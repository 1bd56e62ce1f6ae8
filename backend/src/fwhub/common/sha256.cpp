// SHA-256 through OpenSSL's EVP interface.
#include "fwhub/common/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace fwhub {

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  std::string out(static_cast<std::size_t>(length) * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(&out.at(static_cast<std::size_t>(i) * 2), 3, "%02x", digest.at(i));
  }
  return out;
}

}  // namespace fwhub
