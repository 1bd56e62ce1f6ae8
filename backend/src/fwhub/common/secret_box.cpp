// crypto_secretbox_easy with a random nonce per sealed value.
#include "fwhub/common/secret_box.hpp"

#include <sodium.h>

#include "fwhub/common/random.hpp"
#include "fwhub/common/sodium_init.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub {
namespace {

const unsigned char* bytes(std::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

unsigned char* bytes(std::string& text) {
  return reinterpret_cast<unsigned char*>(text.data());  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
}

}  // namespace

SecretBox::SecretBox(std::string_view hex_key) {
  ensure_sodium();
  key_.resize(crypto_secretbox_KEYBYTES);
  std::size_t length = 0;
  if (hex_key.size() != std::size_t{2} * crypto_secretbox_KEYBYTES ||
      sodium_hex2bin(bytes(key_), key_.size(), hex_key.data(), hex_key.size(), nullptr, &length, nullptr) != 0 ||
      length != crypto_secretbox_KEYBYTES) {
    throw Error(Code::kInvalidArgument, "the secret key must be 64 hexadecimal digits");
  }
}

std::string SecretBox::seal(std::string_view plain) const {
  std::string out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plain.size(), '\0');
  randombytes_buf(bytes(out), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(bytes(out) + crypto_secretbox_NONCEBYTES, bytes(plain), plain.size(), bytes(out), bytes(key_));
  return out;
}

std::string SecretBox::open(std::string_view sealed) const {
  if (sealed.size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    throw Error(Code::kInternal, "a stored secret is truncated");
  }
  std::string out(sealed.size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  if (crypto_secretbox_open_easy(bytes(out), bytes(sealed) + crypto_secretbox_NONCEBYTES,
                                 sealed.size() - crypto_secretbox_NONCEBYTES, bytes(sealed), bytes(key_)) != 0) {
    throw Error(Code::kInternal, "a stored secret does not open with the configured secret key");
  }
  return out;
}

std::optional<SecretBox> SecretBox::from_setting(std::string_view hex_key) {
  return hex_key.empty() ? std::nullopt : std::optional<SecretBox>(hex_key);
}

std::string SecretBox::generate_key_hex() {
  return random_hex(crypto_secretbox_KEYBYTES);
}

}  // namespace fwhub
