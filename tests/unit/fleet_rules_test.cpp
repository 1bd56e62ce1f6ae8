// Fleet rules without storage: roles and access, field validation messages, and the checks an
// uploaded image passes (fwtool metadata, type and boards, file formats, names).
#define BOOST_TEST_MODULE fleet_rules
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>

#include "fwhub/domain/fleet/input.hpp"
#include "fwhub/domain/fleet/principal.hpp"
#include "fwhub/domain/fleet/user_access.hpp"
#include "fwhub/service/image_checks.hpp"

using fwhub::domain::fleet::Input;
using fwhub::domain::fleet::InputValue;
using fwhub::domain::fleet::Principal;
using fwhub::domain::fleet::Role;
using fwhub::domain::fleet::ValidationError;

namespace {

Principal member(const std::string& organization, Role role) {
  Principal who;
  who.user_id = "u";
  who.roles[organization] = role;
  return who;
}

InputValue text(const std::string& value) {
  return {InputValue::Kind::kString, value};
}

std::string first_error(Input& input, const std::string& field) {
  const auto& all = input.errors().all();
  const auto it = all.find(field);
  return it == all.end() ? "" : it->second.front();
}

fwhub::domain::fleet::UploadedImage fixture_upload() {
  std::ifstream in(FWHUB_SOURCE_DIR "/tests/data/fwtool/signed-sysupgrade.bin", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  BOOST_REQUIRE(!bytes.empty());
  fwhub::domain::fleet::UploadedImage upload;
  upload.file_name = "openwrt-23.05.4-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin";
  upload.size = bytes.size();
  upload.tail = bytes;
  upload.head = bytes.substr(0, 512);
  return upload;
}

fwhub::service::ImageBoards boards() {
  return fwhub::service::ImageBoards({}, [](const std::string&) { return std::vector<std::string>{}; });
}

}  // namespace

BOOST_AUTO_TEST_CASE(roles_decide_reading_changing_and_operating) {
  const Principal admin = member("a", Role::kAdmin);
  const Principal op = member("a", Role::kOperator);
  BOOST_TEST(can_read(admin, std::string("a")));
  BOOST_TEST(!can_read(admin, std::string("b")));
  BOOST_TEST(can_read(admin, std::nullopt));  // shared objects are visible to all
  BOOST_TEST(can_change(admin, std::string("a")));
  BOOST_TEST(!can_change(admin, std::nullopt));  // ... and changed by superusers only
  BOOST_TEST(can_read(op, std::string("a")));
  BOOST_TEST(!can_change(op, std::string("a")));
  BOOST_TEST(can_operate(op, "a"));
  BOOST_TEST(!can_operate(op, "b"));
  Principal root;
  root.superuser = true;
  BOOST_TEST(can_change(root, std::nullopt));
  BOOST_TEST(can_change(root, std::string("z")));
}

BOOST_AUTO_TEST_CASE(input_reports_every_field_with_upstream_messages) {
  Input input({{"name", text(std::string(65, 'n'))},
               {"description", {InputValue::Kind::kNull, ""}},
               {"port", {InputValue::Kind::kNumber, "70000"}},
               {"enabled", text("yes")}},
              false);
  BOOST_TEST(!input.text("name", 64, true));
  BOOST_TEST(!input.text("missing", 10, true));
  BOOST_TEST(!input.text("description", 100, false));
  BOOST_TEST(!input.integer("port", 1, 65535));
  BOOST_TEST(!input.boolean("enabled"));
  BOOST_TEST(first_error(input, "name") == "Ensure this field has no more than 64 characters.");
  BOOST_TEST(first_error(input, "missing") == "This field is required.");
  BOOST_TEST(first_error(input, "description") == "This field may not be null.");
  BOOST_TEST(first_error(input, "port") == "Ensure this value is between 1 and 65535.");
  BOOST_TEST(first_error(input, "enabled") == "Must be a valid boolean.");
  BOOST_CHECK_THROW(input.check(), ValidationError);
}

BOOST_AUTO_TEST_CASE(partial_input_does_not_require_absent_fields) {
  Input input({{"name", text("é" + std::string(63, 'x'))}}, true);  // 64 characters, 65 bytes
  BOOST_TEST(input.text("name", 64, true).value_or("") == "é" + std::string(63, 'x'));
  BOOST_TEST(!input.text("version", 32, true));
  BOOST_TEST(input.errors().empty());
  const auto cleared = Input({{"os", text("")}}, true).nullable_text("os", 64);
  BOOST_REQUIRE(cleared.has_value());
  BOOST_TEST(!cleared->has_value());  // "" clears a nullable field
}

BOOST_AUTO_TEST_CASE(image_with_fwtool_metadata_gets_type_boards_and_os) {
  auto table = boards();
  const auto checked = fwhub::service::check_image(fixture_upload(), table);
  BOOST_TEST(checked.type == "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
  BOOST_TEST((std::find(checked.boards.begin(), checked.boards.end(), "tplink,archer-c7-v5") != checked.boards.end()));
  BOOST_TEST(checked.os.starts_with("OpenWrt "));
  BOOST_TEST(checked.metadata_json.find("\"signed\":true") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(image_for_another_board_than_its_type_is_refused) {
  auto upload = fixture_upload();
  upload.type = "ramips-mt76x8-glinet_gl-mt300n-v2-squashfs-sysupgrade.bin";
  auto table = boards();
  try {
    fwhub::service::check_image(upload, table);
    BOOST_FAIL("accepted an Archer C7 image as a GL-MT300N image");
  } catch (const ValidationError& error) {
    BOOST_TEST(error.errors().all().at("type").front().find("The image is for tplink,archer-c7-v5") == 0U);
  }
}

BOOST_AUTO_TEST_CASE(files_that_are_not_what_their_type_says_are_refused) {
  auto table = boards();
  auto plain = fixture_upload();
  plain.tail = std::string(600, 'x');
  plain.head = plain.tail;
  plain.size = plain.tail.size();
  BOOST_CHECK_THROW(fwhub::service::check_image(plain, table), ValidationError);  // sysupgrade without metadata
  plain.file_name = "openwrt-23.05.4-bcm27xx-bcm2711-rpi-4-squashfs-sysupgrade.img.gz";
  BOOST_CHECK_THROW(fwhub::service::check_image(plain, table), ValidationError);  // not gzip
  plain.head = std::string("\x1f\x8b", 2) + plain.head;
  BOOST_CHECK_NO_THROW(fwhub::service::check_image(plain, table));
  auto damaged = fixture_upload();
  damaged.tail[100] = static_cast<char>(damaged.tail[100] ^ 0x01);
  BOOST_CHECK_THROW(fwhub::service::check_image(damaged, table), ValidationError);
}

BOOST_AUTO_TEST_CASE(file_names_cannot_leave_the_folder) {
  BOOST_TEST(fwhub::service::safe_file_name("openwrt-x-sysupgrade.bin"));
  const std::vector<std::string> unsafe = {"", ".hidden", "../x", "a/b", "a\\b", "a\nb", std::string(256, 'a')};
  for (const auto& name : unsafe) {
    BOOST_TEST(!fwhub::service::safe_file_name(name), name);
  }
}

// Regression (outside attack, critical): an administrator of A changed the password of a superuser
// or of B's administrator who was also a member of A, and signed in as them.
BOOST_AUTO_TEST_CASE(an_admin_manages_only_users_all_of_whose_organizations_it_administers) {
  using fwhub::domain::fleet::user_access;
  using fwhub::domain::fleet::UserAccess;
  Principal admin = member("A", Role::kAdmin);
  admin.user_id = "admin";
  Principal target = member("A", Role::kOperator);
  target.user_id = "target";
  BOOST_TEST((user_access(admin, target) == UserAccess::kManage));
  target.roles["B"] = Role::kAdmin;  // also B's administrator
  BOOST_TEST((user_access(admin, target) == UserAccess::kReadOnly));
  admin.roles["B"] = Role::kOperator;  // a mere member of B is not enough
  BOOST_TEST((user_access(admin, target) == UserAccess::kReadOnly));
  admin.roles["B"] = Role::kAdmin;
  BOOST_TEST((user_access(admin, target) == UserAccess::kManage));
  target.superuser = true;  // only superusers change superusers
  BOOST_TEST((user_access(admin, target) == UserAccess::kReadOnly));
  Principal root;
  root.user_id = "root";
  root.superuser = true;
  BOOST_TEST((user_access(root, target) == UserAccess::kManage));
}

BOOST_AUTO_TEST_CASE(users_sharing_no_organization_are_hidden_and_everyone_manages_themselves) {
  using fwhub::domain::fleet::user_access;
  using fwhub::domain::fleet::UserAccess;
  Principal admin = member("A", Role::kAdmin);
  admin.user_id = "admin";
  Principal stranger = member("B", Role::kOperator);
  stranger.user_id = "stranger";
  BOOST_TEST((user_access(admin, stranger) == UserAccess::kHidden));
  Principal nobody;  // no organization at all: vacuously "all administered", still hidden
  nobody.user_id = "nobody";
  BOOST_TEST((user_access(admin, nobody) == UserAccess::kHidden));
  BOOST_TEST((user_access(stranger, stranger) == UserAccess::kManage));
  Principal operator_of_a = member("A", Role::kOperator);
  operator_of_a.user_id = "op";
  Principal peer = member("A", Role::kOperator);
  peer.user_id = "peer";
  BOOST_TEST((user_access(operator_of_a, peer) == UserAccess::kReadOnly));
}

// Regression (issue 16): names with % ? NUL or CR/LF (also written %00, %0d%0a) were stored but
// could never be downloaded (nginx decodes and cuts the X-Accel-Redirect path); bytes that are not
// UTF-8 reached MariaDB.
BOOST_AUTO_TEST_CASE(file_names_must_be_downloadable) {
  const std::vector<std::string> refused = {
      "a%00b.bin",  "a%0d%0ab.bin", "100%.bin",    "a?b.bin",      std::string("a\0b.bin", 7),
      "a\r\nb.bin", "a\x7f.bin",    "caf\xc3.bin", "\xc0\xaf.bin", "\xed\xa0\x80.bin"};
  for (const auto& name : refused) {
    BOOST_TEST(!fwhub::service::safe_file_name(name), name);
  }
  for (const std::string name : {"sim image (1) it's $(id).bin", "openwrt-23.05.4_x+y~z[1]{2}=@!&,;.bin",
                                 "r\xc3\xa9seau \xf0\x9f\x98\x80.img.gz", "a\"b.bin", "a#b.bin"}) {
    BOOST_TEST(fwhub::service::safe_file_name(name), name);
  }
  auto table = boards();
  auto upload = fixture_upload();
  upload.file_name = "a%0d%0ab.bin";
  BOOST_CHECK_EXCEPTION(fwhub::service::check_image(upload, table), ValidationError, [](const ValidationError& e) {
    return e.errors().all().at("file").front() == fwhub::service::kFileNameRule;
  });
}
