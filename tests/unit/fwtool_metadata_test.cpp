// fwtool metadata: reading the trailer blocks of sysupgrade images, rejecting malformed ones, and
// the CRC check streamed or over the whole file.
#define BOOST_TEST_MODULE fwtool_metadata
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <iterator>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/firmware/fwtool_metadata.hpp"

using namespace fwhub::domain::firmware;
using fwhub::Code;
using fwhub::Error;

namespace {

// Written by tests/doubles/openwrt_image.py (build_image): a rootfs archive, a metadata block for
// the Archer C7 v5 (23.05.4) and a signature block holding a fixed placeholder text.
std::string fixture() {
  std::ifstream in(std::string(FWHUB_SOURCE_DIR) + "/tests/data/fwtool/signed-sysupgrade.bin", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void put_be32(std::string& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((value >> shift) & 0xffU));
  }
}

std::string trailer(std::uint32_t magic, std::uint32_t crc, std::uint8_t type, std::uint32_t size) {
  std::string out;
  put_be32(out, magic);
  put_be32(out, crc);
  out.push_back(static_cast<char>(type));
  out.append(3, '\0');
  put_be32(out, size);
  return out;
}

// Appends a block as fwtool does: data, then a trailer whose CRC covers everything before it.
std::string append_block(std::string image, const std::string& data, std::uint8_t type) {
  image += data;
  FwtoolCrc crc;
  crc.update(image);
  return image + trailer(0x46577830, crc.value(), type, static_cast<std::uint32_t>(data.size() + 16));
}

std::string metadata_data(const std::string& json, std::uint32_t header_version = 0) {
  std::string data;
  put_be32(data, header_version);
  put_be32(data, 0);
  return data + json;
}

const std::string kJson =
    R"({"metadata_version":"1.1","compat_version":"1.1","supported_devices":["tplink,archer-c7-v5"],)"
    R"("version":{"dist":"OpenWrt","version":"23.05.4","revision":"r24012-d8dd03c46f",)"
    R"("target":"ath79/generic","board":"tplink_archer-c7-v5"}})";

std::string image_with(const std::string& json) {
  return append_block("rootfs bytes", metadata_data(json), 1);
}

std::optional<FwtoolMetadata> read_all(const std::string& image) {
  return read_fwtool_metadata(image, image.size());
}

// The message of the Error(kUnprocessable) reading `image` throws; "" when it throws nothing.
std::string rejection(const std::string& image) {
  try {
    read_all(image);
  } catch (const Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(Code::kUnprocessable));
    return e.what();
  }
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_CASE(crc_is_fwtools_form_of_crc32) {
  FwtoolCrc crc;
  BOOST_TEST(crc.value() == 0xffffffffU);
  crc.update("123456789");  // CRC-32 check value 0xcbf43926, without the final inversion
  BOOST_TEST(crc.value() == 0x340bc6d9U);
  FwtoolCrc chunked;
  chunked.update("1234");
  chunked.update("");
  chunked.update("56789");
  BOOST_TEST(chunked.value() == crc.value());
}

BOOST_AUTO_TEST_CASE(signed_image_from_the_test_doubles_is_read) {
  const std::string image = fixture();
  BOOST_REQUIRE_EQUAL(image.size(), 592U);
  const auto metadata = read_all(image);
  BOOST_REQUIRE(metadata.has_value());
  BOOST_TEST(metadata->dist == "OpenWrt");
  BOOST_TEST(metadata->version == "23.05.4");
  BOOST_TEST(metadata->revision == "r24012-d8dd03c46f");
  BOOST_TEST(metadata->target == "ath79/generic");
  BOOST_TEST(metadata->board == "tplink_archer-c7-v5");
  BOOST_TEST(metadata->compat_version == "1.0");
  BOOST_TEST(metadata->supported_devices == (std::vector<std::string>{"tplink,archer-c7-v5", "archer-c7-v5"}),
             boost::test_tools::per_element());
  BOOST_TEST(metadata->is_signed);
  BOOST_TEST(metadata->unsigned_size == 425U);
  BOOST_REQUIRE_EQUAL(metadata->blocks.size(), 2U);
  BOOST_TEST(metadata->blocks[0].type == 0);
  BOOST_TEST(metadata->blocks[0].data_offset == 425U);
  BOOST_TEST(metadata->blocks[0].trailer_offset == 576U);
  BOOST_TEST(metadata->blocks[0].crc == 0x5980ac0aU);
  BOOST_TEST(metadata->blocks[1].type == 1);
  BOOST_TEST(metadata->blocks[1].data_offset == 141U);
  BOOST_TEST(metadata->blocks[1].trailer_offset == 409U);
  BOOST_TEST(metadata->blocks[1].crc == 0x68683fa9U);
  BOOST_CHECK_NO_THROW(check_fwtool_crc(*metadata, FwtoolCrc{}, image, image.size()));
}

BOOST_AUTO_TEST_CASE(any_tail_holding_the_blocks_gives_the_same_result_streamed) {
  const std::string image = fixture();
  for (std::size_t tail_size = image.size() - 141; tail_size <= image.size(); ++tail_size) {
    BOOST_TEST_CONTEXT("tail of " << tail_size << " bytes") {
      const std::string_view tail = std::string_view(image).substr(image.size() - tail_size);
      const auto metadata = read_fwtool_metadata(tail, image.size());
      BOOST_REQUIRE(metadata.has_value());
      BOOST_TEST(metadata->board == "tplink_archer-c7-v5");
      BOOST_TEST(metadata->blocks[1].data_offset == 141U);
      FwtoolCrc before_tail;
      before_tail.update(std::string_view(image).substr(0, image.size() - tail_size));
      BOOST_CHECK_NO_THROW(check_fwtool_crc(*metadata, before_tail, tail, image.size()));
    }
  }
}

BOOST_AUTO_TEST_CASE(tail_too_short_for_the_metadata_block_is_rejected) {
  const std::string image = fixture();
  const std::string_view tail = std::string_view(image).substr(image.size() - 300);
  BOOST_CHECK_EXCEPTION(read_fwtool_metadata(tail, image.size()), Error,
                        [](const Error& e) { return e.code() == Code::kUnprocessable; });
}

BOOST_AUTO_TEST_CASE(corrupt_bytes_fail_the_crc_check_of_the_block_after_them) {
  std::string image = fixture();
  image[10] = static_cast<char>(image[10] ^ 0x01);  // in the rootfs
  auto metadata = read_all(image);
  BOOST_REQUIRE(metadata.has_value());
  BOOST_CHECK_EXCEPTION(check_fwtool_crc(*metadata, FwtoolCrc{}, image, image.size()), Error, [](const Error& e) {
    return e.code() == Code::kUnprocessable && contains(e.what(), "metadata block CRC mismatch");
  });

  image = fixture();
  image[500] = static_cast<char>(image[500] ^ 0x01);  // in the signature
  metadata = read_all(image);
  BOOST_REQUIRE(metadata.has_value());
  BOOST_CHECK_EXCEPTION(check_fwtool_crc(*metadata, FwtoolCrc{}, image, image.size()), Error, [](const Error& e) {
    return e.code() == Code::kUnprocessable && contains(e.what(), "signature block CRC mismatch");
  });
}

BOOST_AUTO_TEST_CASE(crc_check_wants_the_prefix_fed_exactly) {
  const std::string image = fixture();
  const auto metadata = read_all(image);
  BOOST_REQUIRE(metadata.has_value());
  const std::string_view tail = std::string_view(image).substr(200);
  FwtoolCrc short_prefix;
  short_prefix.update(std::string_view(image).substr(0, 199));
  BOOST_CHECK_THROW(check_fwtool_crc(*metadata, short_prefix, tail, image.size()), Error);
  // A tail that starts after the metadata trailer cannot be checked.
  const std::string_view late_tail = std::string_view(image).substr(420);
  FwtoolCrc prefix;
  prefix.update(std::string_view(image).substr(0, 420));
  BOOST_CHECK_EXCEPTION(check_fwtool_crc(*metadata, prefix, late_tail, image.size()), Error,
                        [](const Error& e) { return e.code() == Code::kInvalidArgument; });
  BOOST_CHECK_EXCEPTION(check_fwtool_crc(*metadata, FwtoolCrc{}, image, 10), Error,
                        [](const Error& e) { return e.code() == Code::kInvalidArgument; });
}

BOOST_AUTO_TEST_CASE(unsigned_image_has_one_block) {
  const std::string image = image_with(kJson);
  const auto metadata = read_all(image);
  BOOST_REQUIRE(metadata.has_value());
  BOOST_TEST(!metadata->is_signed);
  BOOST_TEST(metadata->unsigned_size == image.size());
  BOOST_TEST(metadata->compat_version == "1.1");
  BOOST_REQUIRE_EQUAL(metadata->blocks.size(), 1U);
  BOOST_TEST(metadata->blocks[0].data_offset == 12U);
  BOOST_CHECK_NO_THROW(check_fwtool_crc(*metadata, FwtoolCrc{}, image, image.size()));
}

BOOST_AUTO_TEST_CASE(image_without_trailer_has_no_metadata) {
  BOOST_TEST(!read_all("").has_value());
  BOOST_TEST(!read_all("short").has_value());
  BOOST_TEST(!read_all(std::string(4096, '\xff')).has_value());
  // A trailer in the middle of the file does not count: only the end is looked at.
  BOOST_TEST(!read_all(image_with(kJson) + "appended after").has_value());
  // Only the tail is given; the file is larger.
  BOOST_TEST(!read_fwtool_metadata("tail bytes", 1U << 30U).has_value());
}

BOOST_AUTO_TEST_CASE(tail_longer_than_the_file_is_a_caller_error) {
  BOOST_CHECK_EXCEPTION(read_fwtool_metadata("0123456789", 9), Error,
                        [](const Error& e) { return e.code() == Code::kInvalidArgument; });
}

BOOST_AUTO_TEST_CASE(malformed_blocks_are_rejected_with_the_reason) {
  const std::uint32_t magic = 0x46577830;
  BOOST_TEST(contains(rejection(std::string(32, 'x') + trailer(magic, 0, 1, 15)), "smaller than its trailer"));
  BOOST_TEST(contains(rejection(std::string(32, 'x') + trailer(magic, 0, 1, 49)), "exceeds"));
  BOOST_TEST(contains(rejection(trailer(magic, 0, 1, 0xffffffffU)), "exceeds"));
  BOOST_TEST(contains(rejection(append_block("x", "data", 7)), "unknown block type 7"));
  BOOST_TEST(contains(rejection(append_block("x", "1234567", 1)), "shorter than its 8-byte header"));
  BOOST_TEST(contains(rejection(append_block("x", metadata_data(kJson, 2), 1)), "header version 2"));
  BOOST_TEST(contains(rejection(append_block("x", "sig", 0)), "signature block without a metadata block"));
  std::string signatures = image_with(kJson);
  for (int i = 0; i < 4; ++i) {
    signatures = append_block(signatures, "sig", 0);
  }
  BOOST_TEST(contains(rejection(signatures), "too many signature blocks"));
  // Three signatures are still read.
  std::string three = image_with(kJson);
  for (int i = 0; i < 3; ++i) {
    three = append_block(three, "sig", 0);
  }
  const auto metadata = read_all(three);
  BOOST_REQUIRE(metadata.has_value());
  BOOST_TEST(metadata->blocks.size() == 4U);
  BOOST_TEST(metadata->unsigned_size == image_with(kJson).size());
  BOOST_CHECK_NO_THROW(check_fwtool_crc(*metadata, FwtoolCrc{}, three, three.size()));
}

BOOST_AUTO_TEST_CASE(malformed_metadata_json_is_rejected_with_the_reason) {
  BOOST_TEST(contains(rejection(image_with("{")), "invalid JSON at offset 1"));
  BOOST_TEST(contains(rejection(image_with("")), "invalid JSON"));
  BOOST_TEST(contains(rejection(image_with(kJson + "x")), "invalid JSON"));
  BOOST_TEST(contains(rejection(image_with("[]")), "not an object"));
  BOOST_TEST(contains(rejection(image_with(R"({"version":{}})")), "\"supported_devices\" is missing"));
  BOOST_TEST(contains(rejection(image_with(R"({"supported_devices":"a","version":{}})")), "not a list"));
  BOOST_TEST(contains(rejection(image_with(R"({"supported_devices":[1],"version":{}})")), "not a string"));
  BOOST_TEST(contains(rejection(image_with(R"({"supported_devices":[]})")), "\"version\" is missing"));
  BOOST_TEST(contains(rejection(image_with(R"({"supported_devices":[],"version":"23.05.4"})")), "not an object"));
  std::string no_board = kJson;
  no_board.replace(no_board.find(R"(,"board")"), std::string(R"(,"board":"tplink_archer-c7-v5")").size(), "");
  BOOST_TEST(rejection(image_with(no_board)) == "fwtool metadata: missing \"version.board\"");
  std::string numeric_revision = kJson;
  numeric_revision.replace(numeric_revision.find(R"("r24012-d8dd03c46f")"), 19, "24012");
  BOOST_TEST(rejection(image_with(numeric_revision)) == "fwtool metadata: \"version.revision\" is not a string");
  std::string bad_compat = kJson;
  bad_compat.replace(bad_compat.find(R"("1.1","supported)"), 5, "1.1");
  BOOST_TEST(rejection(image_with(bad_compat)) == "fwtool metadata: \"compat_version\" is not a string");
  // Nesting deep enough to overflow a recursive parser's stack.
  BOOST_TEST(contains(rejection(image_with(std::string(200000, '['))), "JSON nested more than 64 levels deep"));
}

BOOST_AUTO_TEST_CASE(metadata_without_compat_version_is_compat_1_0) {
  std::string old = kJson;
  old.replace(old.find(R"("compat_version":"1.1",)"), std::string(R"("compat_version":"1.1",)").size(), "");
  const auto metadata = read_all(image_with(old));
  BOOST_REQUIRE(metadata.has_value());
  BOOST_TEST(metadata->compat_version == "1.0");
  BOOST_TEST(metadata->version == "23.05.4");
}

// Hostile input (what the fuzzer will do): every truncation and many single-byte corruptions of
// a real image either read or throw Error, never crash (ASan/UBSan run these too).
BOOST_AUTO_TEST_CASE(mutated_images_never_crash) {
  const std::string image = fixture();
  int read = 0;
  int rejected = 0;
  const auto attempt = [&](std::string_view tail, std::uint64_t file_size) {
    try {
      const auto metadata = read_fwtool_metadata(tail, file_size);
      if (metadata) {
        try {
          check_fwtool_crc(*metadata, FwtoolCrc{}, tail, file_size);
        } catch (const Error&) {
          ++rejected;
        }
      }
      ++read;
    } catch (const Error&) {
      ++rejected;
    }
  };
  for (std::size_t size = 0; size <= image.size(); ++size) {
    attempt(std::string_view(image).substr(0, size), size);
    attempt(std::string_view(image).substr(image.size() - size), image.size());
  }
  for (std::size_t at = 100; at < image.size(); ++at) {
    for (const unsigned char value : {0x00, 0x01, 0x10, 0x7f, 0x80, 0xff}) {
      std::string mutated = image;
      mutated[at] = static_cast<char>(value);
      attempt(mutated, mutated.size());
    }
  }
  BOOST_TEST(read > 0);
  BOOST_TEST(rejected > 0);
}
