// SHA-256 through OpenSSL's EVP interface.
#include "fwhub/common/sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstdio>

namespace fwhub {

namespace {

std::string to_hex(const std::array<unsigned char, EVP_MAX_MD_SIZE>& digest, unsigned int length) {
  std::string out(static_cast<std::size_t>(length) * 2, '0');
  for (unsigned int i = 0; i < length; ++i) {
    std::snprintf(&out.at(static_cast<std::size_t>(i) * 2), 3, "%02x", digest.at(i));
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr);
  return to_hex(digest, length);
}

struct Sha256Stream::State {
  EVP_MD_CTX* context = EVP_MD_CTX_new();
};

Sha256Stream::Sha256Stream() : state_(new State) {
  EVP_DigestInit_ex(state_->context, EVP_sha256(), nullptr);
}

Sha256Stream::~Sha256Stream() {
  EVP_MD_CTX_free(state_->context);
  delete state_;
}

void Sha256Stream::update(std::string_view data) {
  EVP_DigestUpdate(state_->context, data.data(), data.size());
}

std::string Sha256Stream::hex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(state_->context, digest.data(), &length);
  return to_hex(digest, length);
}

}  // namespace fwhub
