// usign: key and signature parsing and Ed25519 verification (vectors made with signify-openbsd,
// whose files have usign's format).
#define BOOST_TEST_MODULE usign
#include <boost/test/unit_test.hpp>

#include "fwhub/common/usign.hpp"

using namespace fwhub;

namespace {

const std::string kKey =
    "untrusted comment: test key public key\nRWTagWvOHNq4DHx/iIbFkyDk1ZwhDIyw44JoIlTjpLhJug9Fk5sXdAGt\n";
const std::string kOtherKey = "RWQma3jSw1yUKkcP1zoB/tH5R7zPD+frlGo0V66i7a8Vha4uMxwblQg8";
const std::string kSignature =
    "untrusted comment: verify with "
    "k.pub\nRWTagWvOHNq4DB4GFPhFoSAwa1s2gKvCSMv7scQrllxMCp9j+xLK29O7L1v3SDmAbXrsvaLHF6Nsl1mLZZldYlC6H5jZ3F00+wA=\n";
const std::string kOtherSignature =
    "untrusted comment: verify with "
    "k2.pub\nRWQma3jSw1yUKu3mn7GIAi+IBWOTZga+bQTujUvp7d8lqdQMq5FP6JfA91q3Xo4aq/mGHICam+TaWtMuzumOMxl1ZFvyzyRIIg0=\n";
const std::string kMessage = "hello world\n";

}  // namespace

BOOST_AUTO_TEST_CASE(valid_signature_verifies) {
  const auto key = parse_usign_public_key(kKey);
  BOOST_TEST(usign_verify(key, kSignature, kMessage).is_ok());
  BOOST_TEST(usign_key_id_hex(key).size() == 16U);
  BOOST_TEST(usign_key_id_hex(key) ==
             usign_key_id_hex(parse_usign_public_key("RWTagWvOHNq4DHx/iIbFkyDk1ZwhDIyw44JoIlTjpLhJug9Fk5sXdAGt")));
}

BOOST_AUTO_TEST_CASE(tampered_message_fails) {
  const Status status = usign_verify(parse_usign_public_key(kKey), kSignature, "hello world!\n");
  BOOST_TEST(!status.is_ok());
  BOOST_TEST(status.message() == "bad signature");
}

BOOST_AUTO_TEST_CASE(signature_of_another_key_fails) {
  BOOST_TEST(usign_verify(parse_usign_public_key(kKey), kOtherSignature, kMessage).message() ==
             "signed by another key");
  BOOST_TEST(usign_verify(parse_usign_public_key(kOtherKey), kOtherSignature, kMessage).is_ok());
}

BOOST_AUTO_TEST_CASE(malformed_inputs_are_refused) {
  const auto key = parse_usign_public_key(kKey);
  BOOST_TEST(usign_verify(key, "", kMessage).message() == "malformed signature");
  BOOST_TEST(usign_verify(key, "untrusted comment: x\nnot base64!\n", kMessage).message() == "malformed signature");
  BOOST_TEST(
      usign_verify(key, "untrusted comment: x\nRWTagWvOHNq4DHx/iIbFkyDk1ZwhDIyw44JoIlTjpLhJug9Fk5sXdAGt\n", kMessage)
          .message() == "malformed signature");
  BOOST_CHECK_THROW(parse_usign_public_key(""), Error);
  BOOST_CHECK_THROW(
      parse_usign_public_key(
          "RWTagWvOHNq4DB4GFPhFoSAwa1s2gKvCSMv7scQrllxMCp9j+xLK29O7L1v3SDmAbXrsvaLHF6Nsl1mLZZldYlC6H5jZ3F00+wA="),
      Error);
  BOOST_CHECK_THROW(parse_usign_public_key("AAAA"), Error);
}

// Found by fuzzing: a base64 line of only '=' made the decoded size wrap around, and std::length_error
// (not an Error) escaped from parsing a key or a signature file.
BOOST_AUTO_TEST_CASE(padding_only_lines_are_malformed) {
  const std::string padding = "\n\n\n" + std::string(40, '=') + "\n\n";
  BOOST_CHECK_THROW(parse_usign_public_key(padding), Error);
  const Status status = usign_verify(parse_usign_public_key(kKey), padding, kMessage);
  BOOST_TEST(!status.is_ok());
  BOOST_TEST(static_cast<int>(status.code()) == static_cast<int>(Code::kPermissionDenied));
}
