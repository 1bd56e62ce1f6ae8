// usign (OpenWrt's signify-compatible Ed25519 signatures): key and signature files, verification.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "fwhub/common/status.hpp"

namespace fwhub {

struct UsignPublicKey {
  std::array<std::uint8_t, 8> key_id{};
  std::array<std::uint8_t, 32> key{};
};

// Accepts the base64 line alone or the whole file ("untrusted comment: ..." then base64).
// Throws Error(kInvalidArgument) when it is not an Ed25519 usign public key.
UsignPublicKey parse_usign_public_key(std::string_view text);

// Verifies `signature_file` (the .sig file's text) over `message`. kOk, or kPermissionDenied with
// the reason (malformed signature, key id mismatch, bad signature).
Status usign_verify(const UsignPublicKey& key, std::string_view signature_file, std::string_view message);

// Lowercase hex of the 8-byte key id (OpenWrt names key files after it).
std::string usign_key_id_hex(const UsignPublicKey& key);

}  // namespace fwhub
