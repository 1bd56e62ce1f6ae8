// Stored secrets: credentials sealed with the server key open only with it and unaltered;
// passwords hashed with Argon2id verify only with the right password.
#define BOOST_TEST_MODULE secret_box
#include <boost/test/unit_test.hpp>

#include "fwhub/common/password_hash.hpp"
#include "fwhub/common/secret_box.hpp"
#include "fwhub/common/status.hpp"

BOOST_AUTO_TEST_CASE(sealed_secrets_open_with_the_same_key_only) {
  const fwhub::SecretBox box(fwhub::SecretBox::generate_key_hex());
  const std::string sealed = box.seal("device-password");
  BOOST_TEST(sealed.find("device-password") == std::string::npos);
  BOOST_TEST(box.open(sealed) == "device-password");
  BOOST_TEST(box.seal("device-password") != sealed);  // a fresh nonce each time
  const fwhub::SecretBox other(fwhub::SecretBox::generate_key_hex());
  BOOST_CHECK_THROW((void)other.open(sealed), fwhub::Error);
  std::string altered = sealed;
  altered.back() = static_cast<char>(altered.back() ^ 0x01);
  BOOST_CHECK_THROW((void)box.open(altered), fwhub::Error);
  BOOST_CHECK_THROW((void)box.open("short"), fwhub::Error);
}

BOOST_AUTO_TEST_CASE(keys_must_be_32_bytes_of_hex) {
  BOOST_CHECK_THROW(fwhub::SecretBox("abc"), fwhub::Error);
  BOOST_CHECK_THROW(fwhub::SecretBox(std::string(64, 'z')), fwhub::Error);
  BOOST_CHECK_NO_THROW(fwhub::SecretBox(std::string(64, 'a')));
}

BOOST_AUTO_TEST_CASE(password_hashes_are_argon2id_and_verify) {
  const std::string hash = fwhub::hash_password("correct horse");
  BOOST_TEST(hash.starts_with("$argon2id$"));
  BOOST_TEST(fwhub::verify_password(hash, "correct horse"));
  BOOST_TEST(!fwhub::verify_password(hash, "correct horse!"));
  BOOST_TEST(!fwhub::verify_password("not a hash", "correct horse"));
  BOOST_TEST(fwhub::hash_password("correct horse") != hash);  // salted
  BOOST_TEST(!fwhub::verify_password(fwhub::decoy_password_hash(), ""));
}

BOOST_AUTO_TEST_CASE(an_empty_setting_means_no_key) {
  BOOST_TEST(!fwhub::SecretBox::from_setting("").has_value());
  const auto box = fwhub::SecretBox::from_setting(std::string(64, 'b'));
  BOOST_REQUIRE(box.has_value());
  BOOST_TEST(box->open(box->seal("x")) == "x");
  BOOST_CHECK_THROW((void)fwhub::SecretBox::from_setting("short"), fwhub::Error);
}
