// A depth pre-scan outside strings, then RapidJSON's iterative, UTF-8 validating parser.
#include "fwhub/common/json_text.hpp"

#include <rapidjson/error/en.h>

#include <algorithm>

namespace fwhub {

std::size_t json_depth(std::string_view text, std::size_t stop_after) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // the escaped character never ends the string
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
      if (deepest > stop_after) {
        return deepest;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

std::string parse_json(rapidjson::Document& document, std::string_view text) {
  if (json_depth(text) > kMaxJsonDepth) {
    document.SetNull();
    return "JSON nested more than " + std::to_string(kMaxJsonDepth) + " levels deep";
  }
  // RapidJSON takes a NUL byte for the end of the text and ignores whatever follows it ("55\0[["
  // read as 55, found by fuzzing); JSON never holds one.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    document.SetNull();
    return "invalid JSON at offset " + std::to_string(nul) + ": a NUL byte";
  }
  document.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
  if (document.HasParseError()) {
    return "invalid JSON at offset " + std::to_string(document.GetErrorOffset()) + ": " +
           rapidjson::GetParseError_En(document.GetParseError());
  }
  return "";
}

}  // namespace fwhub
