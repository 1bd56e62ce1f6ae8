// Authenticated encryption of stored secrets (device credentials) with the server key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fwhub {

class SecretBox {
 public:
  // hex_key: 64 hex digits (32 bytes). Throws Error(kInvalidArgument) otherwise.
  explicit SecretBox(std::string_view hex_key);

  // nonce || XSalsa20-Poly1305 ciphertext (libsodium crypto_secretbox_easy), binary.
  [[nodiscard]] std::string seal(std::string_view plain) const;
  // Throws Error(kInternal) when the data was not sealed with this key or was altered.
  [[nodiscard]] std::string open(std::string_view sealed) const;

  // The box of the fleet.secret_key setting; nullopt when it is empty (no key configured).
  static std::optional<SecretBox> from_setting(std::string_view hex_key);

  // A fresh random key as 64 hex digits.
  static std::string generate_key_hex();

 private:
  std::string key_;
};

}  // namespace fwhub
