// Makes usign key and signature files from a fixed Ed25519 seed (OpenSSL), so tests can sign
// documents they change.
#pragma once

#include <openssl/evp.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace fwhub::testing {

class UsignSigner {
 public:
  explicit UsignSigner(unsigned char seed_byte) {
    std::array<unsigned char, 32> seed{};
    seed.fill(seed_byte);
    key_.reset(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, seed.data(), seed.size()));
    key_id_.fill(seed_byte);
  }

  [[nodiscard]] std::string public_key() const {
    std::array<unsigned char, 32> raw{};
    std::size_t length = raw.size();
    EVP_PKEY_get_raw_public_key(key_.get(), raw.data(), &length);
    return encode({raw.begin(), raw.end()});
  }

  [[nodiscard]] std::string sign(const std::string& message) const {
    const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, key_.get());
    std::array<unsigned char, 64> signature{};
    std::size_t length = signature.size();
    EVP_DigestSign(context.get(), signature.data(), &length, reinterpret_cast<const unsigned char*>(message.data()),
                   message.size());  // NOLINT
    return "untrusted comment: signed by a test key\n" + encode({signature.begin(), signature.end()}) + "\n";
  }

 private:
  // base64("Ed" + key id + payload)
  [[nodiscard]] std::string encode(const std::vector<unsigned char>& payload) const {
    std::vector<unsigned char> bytes = {'E', 'd'};
    bytes.insert(bytes.end(), key_id_.begin(), key_id_.end());
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),  // NOLINT
                                       bytes.data(), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(length));
    return out;
  }

  struct KeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  };
  std::unique_ptr<EVP_PKEY, KeyFree> key_;
  std::array<unsigned char, 8> key_id_{};
};

}  // namespace fwhub::testing
