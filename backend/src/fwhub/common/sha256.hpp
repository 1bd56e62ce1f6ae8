// SHA-256 of strings and files, as lowercase hex.
#pragma once

#include <string>
#include <string_view>

namespace fwhub {

std::string sha256_hex(std::string_view data);

}  // namespace fwhub
