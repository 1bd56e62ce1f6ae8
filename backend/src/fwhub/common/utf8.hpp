// UTF-8 checks for text that came through RapidJSON or a multipart header.
#pragma once

#include <string_view>

namespace fwhub {

// RapidJSON 1.1 validates the raw text of a document but decodes a \u escape of a lone low
// surrogate (U+DC00 to U+DFFF) into the bytes 0xED 0xB0-0xBF .., which are not UTF-8. In UTF-8,
// 0xED is never followed by 0xA0 or more, so those two bytes mark such a string.
bool has_lone_surrogate(std::string_view text);

// Well-formed UTF-8: shortest forms only, no surrogates, nothing above U+10FFFF (RFC 3629).
bool valid_utf8(std::string_view text);

}  // namespace fwhub
