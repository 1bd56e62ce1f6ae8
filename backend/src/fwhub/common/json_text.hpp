// The one way fwhub reads JSON text: nesting refused past a depth limit before RapidJSON sees it.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace fwhub {

// The deepest nesting of arrays and objects any JSON fwhub reads may have (request bodies, stored
// documents, upstream documents, image metadata). Writing out, copying and comparing a RapidJSON
// value recurse once per level, so a bound on the depth bounds the stack they use.
inline constexpr std::size_t kMaxJsonDepth = 64;

// The nesting depth of JSON text (0 for a scalar, 1 for [] or {}), counting brackets outside
// strings; it stops counting once the depth passes `stop_after`. Exact for valid JSON.
std::size_t json_depth(std::string_view text, std::size_t stop_after = kMaxJsonDepth);

// Parses `text` into `document` with RapidJSON's iterative parser, validating UTF-8. Returns ""
// when the document holds the text, otherwise the reason in words: "JSON nested more than 64
// levels deep" (RapidJSON is then not called) or "invalid JSON at offset N: <RapidJSON's message>"
// (also for a NUL byte, which RapidJSON would take for the end of the text).
[[nodiscard]] std::string parse_json(rapidjson::Document& document, std::string_view text);

}  // namespace fwhub
