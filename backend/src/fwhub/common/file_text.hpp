// Whole files as strings.
#pragma once

#include <filesystem>
#include <string>

namespace fwhub {

// The file's bytes; "" when it cannot be read.
std::string read_file(const std::filesystem::path& path);

}  // namespace fwhub
