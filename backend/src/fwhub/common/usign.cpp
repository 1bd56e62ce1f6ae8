// usign parsing (base64 payloads "Ed" + key id + key/signature) and Ed25519 verification (OpenSSL).
#include "fwhub/common/usign.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

namespace fwhub {
namespace {

constexpr std::size_t kKeyPayload = 2 + 8 + 32;
constexpr std::size_t kSignaturePayload = 2 + 8 + 64;

// The base64 line of a usign file: the first line that is not a comment.
std::string_view payload_line(std::string_view text) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
      line.remove_suffix(1);
    }
    if (!line.empty() && !line.starts_with("untrusted comment:")) {
      return line;
    }
    if (end == std::string_view::npos) {
      break;
    }
    text.remove_prefix(end + 1);
  }
  return {};
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> out(text.size() / 4 * 3);
  const int length = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),  // NOLINT
                                     static_cast<int>(text.size()));
  if (length < 0) {
    return std::nullopt;
  }
  std::size_t padding = 0;
  for (auto it = text.rbegin(); it != text.rend() && *it == '='; ++it) {
    ++padding;
  }
  if (padding > 2 || static_cast<std::size_t>(length) < padding) {
    return std::nullopt;  // found by fuzzing: "====…" made the size below wrap around
  }
  out.resize(static_cast<std::size_t>(length) - padding);
  return out;
}

}  // namespace

UsignPublicKey parse_usign_public_key(std::string_view text) {
  const auto bytes = base64_decode(payload_line(text));
  if (!bytes || bytes->size() != kKeyPayload || (*bytes)[0] != 'E' || (*bytes)[1] != 'd') {
    throw Error(Code::kInvalidArgument, "not a usign Ed25519 public key");
  }
  UsignPublicKey key;
  std::copy_n(bytes->begin() + 2, key.key_id.size(), key.key_id.begin());
  std::copy_n(bytes->begin() + 10, key.key.size(), key.key.begin());
  return key;
}

Status usign_verify(const UsignPublicKey& key, std::string_view signature_file, std::string_view message) {
  const auto bytes = base64_decode(payload_line(signature_file));
  if (!bytes || bytes->size() != kSignaturePayload || (*bytes)[0] != 'E' || (*bytes)[1] != 'd') {
    return {Code::kPermissionDenied, "malformed signature"};
  }
  if (!std::equal(key.key_id.begin(), key.key_id.end(), bytes->begin() + 2)) {
    return {Code::kPermissionDenied, "signed by another key"};
  }
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.key.data(), key.key.size()), EVP_PKEY_free);
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!pkey || !context || EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, pkey.get()) != 1) {
    return {Code::kInternal, "Ed25519 unavailable"};
  }
  const int ok = EVP_DigestVerify(context.get(), bytes->data() + 10, 64,
                                  reinterpret_cast<const unsigned char*>(message.data()),  // NOLINT
                                  message.size());
  return ok == 1 ? Status::ok() : Status(Code::kPermissionDenied, "bad signature");
}

std::string usign_key_id_hex(const UsignPublicKey& key) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  for (const std::uint8_t byte : key.key_id) {
    out.push_back(kDigits[byte >> 4U]);
    out.push_back(kDigits[byte & 0x0FU]);
  }
  return out;
}

}  // namespace fwhub
