// Fuzzes usign files from upstream and the configuration: the input is read as a public key and as
// a sha256sums.sig signature. A key is refused with Error(kInvalidArgument) only; a signature is
// refused with kPermissionDenied only, and one that verifies a message never verifies another.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/common/usign.hpp"

namespace {

// A signify-openbsd key and the message its signature (in the seed corpus) covers.
const std::string kKey = "RWTagWvOHNq4DHx/iIbFkyDk1ZwhDIyw44JoIlTjpLhJug9Fk5sXdAGt";
const std::string kMessage = "hello world\n";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fwhub::UsignPublicKey key = fwhub::parse_usign_public_key(kKey);
  const std::string_view text = fwhub::fuzz::as_text(data, size);
  try {
    const auto parsed = fwhub::parse_usign_public_key(text);
    FUZZ_CHECK(fwhub::usign_key_id_hex(parsed).size() == 16);
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
  }
  const fwhub::Status status = fwhub::usign_verify(key, text, kMessage);
  FUZZ_CHECK(status.is_ok() || status.code() == fwhub::Code::kPermissionDenied);
  if (status.is_ok()) {
    FUZZ_CHECK(!fwhub::usign_verify(key, text, kMessage + "!").is_ok());
  }
  return 0;
}
