// The one JSON reader (common/json_text): the depth scan counts brackets outside strings only and
// is exact for valid JSON; too deep is refused before RapidJSON runs, at any size; syntax and
// UTF-8 errors name the offset.
#define BOOST_TEST_MODULE json_text
#include <boost/test/unit_test.hpp>

#include <chrono>

#include "fwhub/common/json_text.hpp"

using fwhub::json_depth;
using fwhub::kMaxJsonDepth;
using fwhub::parse_json;

namespace {

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

}  // namespace

BOOST_AUTO_TEST_CASE(depth_counts_arrays_and_objects_outside_strings) {
  BOOST_TEST(json_depth("1") == 0U);
  BOOST_TEST(json_depth("\"[[[{{{\"") == 0U);
  BOOST_TEST(json_depth("[]") == 1U);
  BOOST_TEST(json_depth(R"({"a":[{"b":[]}],"c":{}})") == 4U);
  BOOST_TEST(json_depth(R"(["\"[[", "\\", [1]])") == 2U);  // an escaped quote does not end the string
  BOOST_TEST(json_depth(R"({"k\\":"]]]]"})") == 1U);       // an escaped backslash does not escape the quote
  BOOST_TEST(json_depth(nested(kMaxJsonDepth)) == kMaxJsonDepth);
  BOOST_TEST(json_depth(nested(1000), 10) == 11U);  // stops once past the limit
}

BOOST_AUTO_TEST_CASE(the_limit_is_read_one_more_level_is_refused) {
  rapidjson::Document document;
  BOOST_TEST(parse_json(document, nested(kMaxJsonDepth)).empty());
  BOOST_TEST(document.IsArray());
  std::string object = "{\"a\":" + nested(kMaxJsonDepth - 1) + "}";
  BOOST_TEST(parse_json(document, object).empty());
  object = "{\"a\":" + nested(kMaxJsonDepth) + "}";
  BOOST_TEST(parse_json(document, object) == "JSON nested more than 64 levels deep");
  BOOST_TEST(document.IsNull());
}

// Regression (issue 16): 100,000 levels in a request body crashed an API worker. Refused at
// once, also when the brackets never close.
BOOST_AUTO_TEST_CASE(deep_input_is_refused_quickly_at_any_size) {
  rapidjson::Document document;
  const auto start = std::chrono::steady_clock::now();
  BOOST_TEST(parse_json(document, nested(100000)) == "JSON nested more than 64 levels deep");
  BOOST_TEST(parse_json(document, std::string(1 << 20, '{')) == "JSON nested more than 64 levels deep");
  BOOST_TEST(parse_json(document, "{\"a\":" + std::string(5000, '[') + "1" + std::string(5000, ']') + "}") ==
             "JSON nested more than 64 levels deep");
  BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(1)));
}

BOOST_AUTO_TEST_CASE(syntax_and_utf8_errors_name_the_offset) {
  rapidjson::Document document;
  BOOST_TEST(parse_json(document, "{") == "invalid JSON at offset 1: Missing a name for object member.");
  BOOST_TEST(parse_json(document, "{}{}") ==
             "invalid JSON at offset 2: The document root must not be followed by other values.");
  BOOST_TEST(parse_json(document, "[\"\xc0\xaf\"]").starts_with("invalid JSON at offset 2: "));
  BOOST_TEST(parse_json(document, "").starts_with("invalid JSON at offset 0: "));
  BOOST_TEST(parse_json(document, "{\"a\":\"r\xc3\xa9seau \xf0\x9f\x98\x80\",\"b\":[1,2.5,null,true]}").empty());
  BOOST_TEST(document["a"].GetStringLength() == 12U);  // bytes
}

// Found by fuzzing (fuzz_json_text): RapidJSON read "55\0…[[[" as 55, ignoring everything after
// the NUL byte, so the document was not the text (and shallower than the scan counted).
BOOST_AUTO_TEST_CASE(a_nul_byte_is_refused_not_taken_for_the_end) {
  rapidjson::Document document;
  BOOST_TEST(parse_json(document, std::string("55\0[[", 5)) == "invalid JSON at offset 2: a NUL byte");
  BOOST_TEST(document.IsNull());
  BOOST_TEST(parse_json(document, std::string("{\"a\":\"x\0y\"}", 11)) == "invalid JSON at offset 7: a NUL byte");
  BOOST_TEST(parse_json(document, R"(["\u0000"])").empty());  // the escape is a string's character
  BOOST_TEST(document[0].GetStringLength() == 1U);
}

BOOST_AUTO_TEST_CASE(text_need_not_end_with_nul) {
  const std::string text = "[1,2]xyz";
  rapidjson::Document document;
  BOOST_TEST(parse_json(document, std::string_view(text).substr(0, 5)).empty());
  BOOST_TEST(document.Size() == 2U);
}
