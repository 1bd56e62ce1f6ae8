// Argon2id password hashing through libsodium's crypto_pwhash_str.
#include "fwhub/common/password_hash.hpp"

#include <sodium.h>

#include <array>

#include "fwhub/common/random.hpp"
#include "fwhub/common/sodium_init.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub {

std::string hash_password(std::string_view password) {
  ensure_sodium();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw Error(Code::kResourceExhausted, "out of memory while hashing a password");
  }
  return {out.data()};
}

bool verify_password(std::string_view hash, std::string_view password) {
  ensure_sodium();
  const std::string terminated(hash);
  return crypto_pwhash_str_verify(terminated.c_str(), password.data(), password.size()) == 0;
}

const std::string& decoy_password_hash() {
  static const std::string decoy = hash_password(random_hex(16));
  return decoy;
}

}  // namespace fwhub
