// UTF-8 checks for text that came through RapidJSON.
#include "fwhub/common/utf8.hpp"

#include <algorithm>

namespace fwhub {

bool has_lone_surrogate(std::string_view text) {
  return std::adjacent_find(text.begin(), text.end(), [](char lead, char next) {
           return static_cast<unsigned char>(lead) == 0xED && static_cast<unsigned char>(next) >= 0xA0;
         }) != text.end();
}

}  // namespace fwhub
