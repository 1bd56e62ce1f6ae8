// multipart/form-data: the boundary parameter, parts fed in chunks of every size, boundary
// look-alikes in the data, limits and malformed bodies.
#define BOOST_TEST_MODULE multipart_parser
#include <boost/test/unit_test.hpp>

#include <random>

#include "fwhub/api/multipart_parser.hpp"
#include "fwhub/common/status.hpp"

using namespace fwhub::api;
using fwhub::Code;
using fwhub::Error;
using namespace std::string_literals;

namespace {

struct Part {
  PartHeaders headers;
  std::string body;
  bool ended = false;
};

// Records the parts; checks that the calls come in order.
class Recorder : public MultipartSink {
 public:
  std::vector<Part> parts;
  std::size_t data_calls = 0;

  void begin_part(const PartHeaders& headers) override {
    BOOST_REQUIRE(parts.empty() || parts.back().ended);
    parts.push_back({headers, "", false});
  }
  void data(std::string_view bytes) override {
    BOOST_REQUIRE(!parts.empty() && !parts.back().ended);
    BOOST_REQUIRE(!bytes.empty());
    parts.back().body += bytes;
    ++data_calls;
  }
  void end_part() override {
    BOOST_REQUIRE(!parts.empty() && !parts.back().ended);
    parts.back().ended = true;
  }
};

std::vector<Part> parse_in_chunks(const std::string& boundary, const std::string& body, std::size_t chunk,
                                  MultipartLimits limits = {}) {
  Recorder recorder;
  MultipartParser parser(boundary, recorder, limits);
  for (std::size_t at = 0; at < body.size(); at += chunk) {
    parser.feed(std::string_view(body).substr(at, chunk));
  }
  parser.finish();
  return recorder.parts;
}

// The message of the Error(kInvalidArgument) parsing `body` throws, in feed or finish.
std::string rejection(const std::string& body, MultipartLimits limits = {}, const std::string& boundary = "AaB03x") {
  try {
    parse_in_chunks(boundary, body, body.size() + 1, limits);
  } catch (const Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(Code::kInvalidArgument));
    return e.what();
  }
  return "";
}

const std::string kFileData =
    "\x00\x01 squashfs\r\nline two\r\n--AaB03\r\n-- AaB03x not at a line start: x--AaB03x\r\n\r\n--AaB03y\r\r\n"
    "\r\n--AaB0\r\n--\r\n--AaB03X end\r\n"s;

std::string sample_body() {
  return "This is the preamble.\r\nIt is ignored --AaB03 even with look-alikes.\r\n"
         "--AaB03x\r\n"
         "Content-Disposition: form-data; name=\"category\"\r\n"
         "\r\n"
         "ath79\r\n"
         "--AaB03x\r\n"
         "content-disposition: form-data; name=\"file\"; "
         "filename=\"openwrt-23.05.4-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin\"\r\n"
         "Content-Type: application/octet-stream\r\n"
         "\r\n" +
         kFileData +
         "\r\n--AaB03x\r\n"
         "Content-Disposition: form-data; name=\"empty\"\r\n"
         "\r\n"
         "\r\n--AaB03x--\r\n"
         "This is the epilogue. --AaB03x\r\n";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string boundary_of(std::string_view content_type) {
  return multipart_boundary(content_type).value_or("<none>");
}

const std::string kHead = "--AaB03x\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n";

}  // namespace

BOOST_AUTO_TEST_CASE(boundary_from_content_type) {
  BOOST_TEST(boundary_of("multipart/form-data; boundary=AaB03x") == "AaB03x");
  BOOST_TEST(boundary_of("Multipart/Form-Data;BOUNDARY=AaB03x") == "AaB03x");
  BOOST_TEST(boundary_of("multipart/form-data; charset=utf-8; boundary=\"a b:c\"") == "a b:c");
  BOOST_TEST(boundary_of("multipart/form-data; boundary=\"a\\\"b\"") == "<none>");  // '"' is no bchar
  BOOST_TEST(boundary_of("multipart/form-data; boundary=\"a\\bc\"") == "abc");
  BOOST_TEST(boundary_of("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW; x=1") ==
             "----WebKitFormBoundary7MA4YWxkTrZu0gW");
  BOOST_TEST(boundary_of("multipart/form-data; boundary=" + std::string(70, 'b')) == std::string(70, 'b'));
  BOOST_TEST(boundary_of("multipart/form-data; boundary=" + std::string(71, 'b')) == "<none>");
  BOOST_TEST(boundary_of("multipart/form-data; boundary=\"\"") == "<none>");
  BOOST_TEST(boundary_of("multipart/form-data; boundary=\"ab \"") == "<none>");
  BOOST_TEST(boundary_of("multipart/form-data; boundary=a@b") == "<none>");
  BOOST_TEST(boundary_of("multipart/form-data; boundary=\"abc") == "<none>");
  BOOST_TEST(boundary_of("multipart/form-data; boundary") == "<none>");
  BOOST_TEST(boundary_of("multipart/form-data") == "<none>");
  BOOST_TEST(boundary_of("multipart/mixed; boundary=AaB03x") == "<none>");
  BOOST_TEST(boundary_of("application/json") == "<none>");
  BOOST_TEST(boundary_of("") == "<none>");
}

BOOST_AUTO_TEST_CASE(sample_body_gives_the_same_parts_for_every_chunk_size) {
  const std::string body = sample_body();
  for (std::size_t chunk = 1; chunk <= 40; ++chunk) {
    BOOST_TEST_CONTEXT("chunks of " << chunk << " bytes") {
      const auto parts = parse_in_chunks("AaB03x", body, chunk);
      BOOST_REQUIRE_EQUAL(parts.size(), 3U);
      BOOST_TEST(parts[0].headers.name == "category");
      BOOST_TEST(!parts[0].headers.filename.has_value());
      BOOST_TEST(parts[0].headers.content_type == "");
      BOOST_TEST(parts[0].body == "ath79");
      BOOST_TEST(parts[1].headers.name == "file");
      BOOST_TEST(parts[1].headers.filename.value_or("<none>") ==
                 "openwrt-23.05.4-ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin");
      BOOST_TEST(parts[1].headers.content_type == "application/octet-stream");
      BOOST_TEST(parts[1].body == kFileData);
      BOOST_TEST(parts[2].headers.name == "empty");
      BOOST_TEST(parts[2].body == "");
      BOOST_TEST(parts[2].ended);
    }
  }
  BOOST_TEST(parse_in_chunks("AaB03x", body, body.size()).at(1).body == kFileData);
}

// Random data over an alphabet made of the delimiter's own characters, so that partial matches
// and their fallbacks are exercised at every chunk split.
BOOST_AUTO_TEST_CASE(random_data_made_of_delimiter_characters_survives_any_split) {
  std::mt19937 random(20240607);
  const std::string alphabet = "\r\n-ab";
  for (const std::string boundary : {"ab", "-a-", "aab", "--"}) {
    const std::string delimiter = "\r\n--" + boundary;
    for (int round = 0; round < 40; ++round) {
      std::string data;
      const std::size_t length = random() % 64;
      while (data.size() < length) {
        data.push_back(alphabet[random() % alphabet.size()]);
        if (data.find(delimiter) != std::string::npos) {
          data.pop_back();  // a real delimiter cannot be part of the data
        }
      }
      const std::string body =
          "--" + boundary + "\r\nContent-Disposition: form-data; name=x\r\n\r\n" + data + delimiter + "--";
      for (std::size_t chunk = 1; chunk <= 17; ++chunk) {
        BOOST_TEST_CONTEXT("boundary " << boundary << ", data of " << data.size() << " bytes, chunks of " << chunk) {
          const auto parts = parse_in_chunks(boundary, body, chunk);
          BOOST_REQUIRE_EQUAL(parts.size(), 1U);
          BOOST_TEST(parts[0].body == data);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(data_streams_out_before_the_part_ends) {
  Recorder recorder;
  MultipartParser parser("AaB03x", recorder);
  parser.feed(kHead + std::string(100000, 'x'));
  BOOST_REQUIRE_EQUAL(recorder.parts.size(), 1U);
  BOOST_TEST(recorder.parts[0].body.size() == 100000U);
  // Only what could be the start of a delimiter is held back.
  parser.feed("yz\r\n--AaB0");
  BOOST_TEST(recorder.parts[0].body.size() == 100002U);
  parser.feed("3y");
  BOOST_TEST(recorder.parts[0].body.size() == 100012U);
  BOOST_TEST(recorder.parts[0].body.substr(100000) == "yz\r\n--AaB03y");
  BOOST_TEST(!recorder.parts[0].ended);
  parser.feed("\r\n--AaB03x--");
  BOOST_TEST(recorder.parts[0].ended);
  parser.finish();
}

BOOST_AUTO_TEST_CASE(body_may_open_with_a_boundary_and_close_without_crlf) {
  const auto parts = parse_in_chunks("AaB03x", kHead + "v\r\n--AaB03x--", 3);
  BOOST_REQUIRE_EQUAL(parts.size(), 1U);
  BOOST_TEST(parts[0].body == "v");
  // Transport padding after a boundary is allowed.
  const auto padded =
      parse_in_chunks("AaB03x", "--AaB03x \t\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n--AaB03x--", 1);
  BOOST_REQUIRE_EQUAL(padded.size(), 1U);
  BOOST_TEST(padded[0].body == "v");
}

BOOST_AUTO_TEST_CASE(missing_or_broken_boundaries_are_rejected) {
  BOOST_TEST(rejection(kHead + "data\r\n--AaB03x\r\n") == "multipart: the body ends before the closing boundary");
  BOOST_TEST(rejection(kHead + "data") == "multipart: the body ends before the closing boundary");
  BOOST_TEST(rejection(kHead + "data\r\n--AaB03x-") == "multipart: the body ends before the closing boundary");
  BOOST_TEST(rejection("no boundary at all\r\n--AaB03") == "multipart: the body holds no boundary");
  BOOST_TEST(rejection("") == "multipart: the body holds no boundary");
  BOOST_TEST(contains(rejection(kHead + "data\r\n--AaB03xy"), "followed by something other than CRLF"));
  BOOST_TEST(contains(rejection(kHead + "data\r\n--AaB03x-x"), "followed by something other than CRLF"));
  BOOST_TEST(contains(rejection(kHead + "data\r\n--AaB03x --"), "followed by something other than CRLF"));
  BOOST_TEST(contains(rejection("--AaB03x\nContent-Disposition: form-data; name=f\n\n"), "other than CRLF"));
  BOOST_TEST(rejection("--AaB03x\r\r\n") == "multipart: a boundary line ends in CR without LF");
}

BOOST_AUTO_TEST_CASE(header_limit_is_enforced) {
  const std::string line = "Content-Disposition: form-data; name=\"f\"\r\n";
  MultipartLimits limits;
  limits.max_header_bytes = line.size() + 2;  // the line and the empty line
  BOOST_TEST(rejection("--AaB03x\r\n" + line + "\r\nv\r\n--AaB03x--", limits) == "");
  limits.max_header_bytes = line.size() + 1;
  BOOST_TEST(rejection("--AaB03x\r\n" + line + "\r\nv\r\n--AaB03x--", limits) ==
             "multipart: a part's header block exceeds " + std::to_string(line.size() + 1) + " bytes");
  // Default: 8 KiB, also for a header that never ends.
  BOOST_TEST(contains(rejection("--AaB03x\r\nX-Long: " + std::string(9000, 'a')), "exceeds 8192 bytes"));
}

BOOST_AUTO_TEST_CASE(part_limit_is_enforced) {
  std::string body;
  for (int i = 0; i < 3; ++i) {
    body += "--AaB03x\r\nContent-Disposition: form-data; name=\"p" + std::to_string(i) + "\"\r\n\r\nv\r\n";
  }
  body += "--AaB03x--";
  MultipartLimits limits;
  limits.max_parts = 3;
  BOOST_TEST(parse_in_chunks("AaB03x", body, 5, limits).size() == 3U);
  limits.max_parts = 2;
  BOOST_TEST(rejection(body, limits) == "multipart: more than 2 parts");
}

BOOST_AUTO_TEST_CASE(content_disposition_parameters) {
  const auto headers = [](const std::string& disposition) {
    const auto parts = parse_in_chunks("b", "--b\r\nContent-Disposition: " + disposition + "\r\n\r\nv\r\n--b--", 7);
    BOOST_REQUIRE_EQUAL(parts.size(), 1U);
    return parts[0].headers;
  };
  BOOST_TEST(headers("form-data; name=\"a\\\"b\"; filename=\"C:\\\\fw\\\\x.bin\"").filename.value_or("<none>") ==
             "C:\\fw\\x.bin");
  BOOST_TEST(headers("form-data; name=\"a\\\"b\"").name == "a\"b");
  BOOST_TEST(headers("Form-Data; NAME=token; FileName=\"\"").filename.value_or("<none>") == "");
  BOOST_TEST(headers("form-data;name=file;filename*=UTF-8''na%C3%AFve.bin; filename=\"naive.bin\"")
                 .filename.value_or("<none>") == "naive.bin");
  BOOST_TEST(!headers("form-data; name=file; filename*=UTF-8''x.bin").filename.has_value());
  BOOST_TEST(headers("form-data; name=\"first\"; name=\"second\";").name == "first");
  BOOST_TEST(headers("form-data ; name = \"spaced\" ").name == "spaced");
}

BOOST_AUTO_TEST_CASE(malformed_part_headers_are_rejected) {
  const auto with_headers = [](const std::string& headers) {
    return rejection("--AaB03x\r\n" + headers + "\r\nv\r\n--AaB03x--");
  };
  BOOST_TEST(with_headers("") == "multipart: a part has no Content-Disposition header");
  BOOST_TEST(with_headers("Content-Type: text/plain\r\n") == "multipart: a part has no Content-Disposition header");
  BOOST_TEST(with_headers("Content-Disposition: attachment; name=f\r\n") ==
             "multipart: Content-Disposition is not form-data");
  BOOST_TEST(with_headers("Content-Disposition: form-data; filename=x\r\n") ==
             "multipart: Content-Disposition has no name");
  BOOST_TEST(with_headers("Content-Disposition: form-data; name=\"\"\r\n") ==
             "multipart: Content-Disposition has no name");
  BOOST_TEST(with_headers("Content-Disposition: form-data; name=\"f\r\n") ==
             "multipart: malformed Content-Disposition header");
  BOOST_TEST(with_headers("Content-Disposition: form-data; name=\"f\" x\r\n") ==
             "multipart: malformed Content-Disposition header");
  BOOST_TEST(with_headers("Content-Disposition: form-data; name\r\n") ==
             "multipart: malformed Content-Disposition header");
  BOOST_TEST(with_headers("Content-Disposition: form-data; name=\"f\"\r\nContent-Disposition: form-data; name=g\r\n") ==
             "multipart: a part has two content-disposition headers");
  BOOST_TEST(with_headers("Content-Disposition: form-data;\r\n name=\"f\"\r\n") ==
             "multipart: a part header is folded over several lines");
  BOOST_TEST(with_headers("Content-Disposition form-data\r\n") == "multipart: malformed part header line");
  BOOST_TEST(with_headers("Bad Name: x\r\nContent-Disposition: form-data; name=f\r\n") ==
             "multipart: malformed part header line");
  BOOST_TEST(with_headers("X-A: a\rb\r\nContent-Disposition: form-data; name=f\r\n") ==
             "multipart: a part header contains a bare CR, LF or NUL");
  // Unknown headers are ignored.
  BOOST_TEST(with_headers("X-Other: 1\r\nContent-Disposition: form-data; name=f\r\n") == "");
}

BOOST_AUTO_TEST_CASE(parser_refuses_input_after_an_error) {
  Recorder recorder;
  MultipartParser parser("AaB03x", recorder);
  BOOST_CHECK_THROW(parser.feed("--AaB03x!"), Error);
  BOOST_CHECK_EXCEPTION(parser.feed(kHead), Error, [](const Error& e) {
    return std::string(e.what()) == "multipart: the body was rejected earlier";
  });
  BOOST_CHECK_THROW(parser.finish(), Error);
}

BOOST_AUTO_TEST_CASE(sink_exceptions_propagate_and_stop_the_parser) {
  class Refusing : public Recorder {
   public:
    void data(std::string_view /*bytes*/) override { throw std::runtime_error("disk full"); }
  };
  Refusing sink;
  MultipartParser parser("AaB03x", sink);
  BOOST_CHECK_THROW(parser.feed(kHead + "v"), std::runtime_error);
  BOOST_CHECK_THROW(parser.feed("\r\n--AaB03x--"), Error);
}

BOOST_AUTO_TEST_CASE(constructor_checks_the_boundary) {
  Recorder recorder;
  BOOST_CHECK_THROW(MultipartParser("", recorder), Error);
  BOOST_CHECK_THROW(MultipartParser(std::string(71, 'b'), recorder), Error);
  BOOST_CHECK_THROW(MultipartParser("a\r\nb", recorder), Error);
  BOOST_CHECK_THROW(MultipartParser("ab ", recorder), Error);
  BOOST_CHECK_NO_THROW(MultipartParser(std::string(70, 'b'), recorder));
  BOOST_CHECK_NO_THROW(MultipartParser("a b'()+_,-./:=?", recorder));
}

BOOST_AUTO_TEST_CASE(epilogue_and_later_input_are_ignored) {
  Recorder recorder;
  MultipartParser parser("AaB03x", recorder);
  parser.feed(kHead + "v\r\n--AaB03x--\r\n--AaB03x\r\nnot a part");
  parser.feed("\r\n--AaB03x\r\n");
  parser.finish();
  BOOST_REQUIRE_EQUAL(recorder.parts.size(), 1U);
  BOOST_TEST(recorder.parts[0].body == "v");
}
