// Password hashing for sign-in: Argon2id from libsodium, self-describing hash strings.
#pragma once

#include <string>
#include <string_view>

namespace fwhub {

// "$argon2id$v=19$m=65536,t=2,p=1$…" with libsodium's interactive limits (64 MiB, 2 passes).
std::string hash_password(std::string_view password);

// Constant-time comparison inside libsodium; false for a malformed hash.
bool verify_password(std::string_view hash, std::string_view password);

// A valid hash of a random password: verified against when a user does not exist, so that a
// sign-in takes as long for unknown users as for known ones.
const std::string& decoy_password_hash();

}  // namespace fwhub
