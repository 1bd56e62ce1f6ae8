// Host name and process id.
#include "fwhub/sys/host.hpp"

#include <unistd.h>

#include <array>

namespace fwhub::sys {

std::string process_identity() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0) {
    return "unknown:" + std::to_string(::getpid());
  }
  return std::string(name.data()) + ":" + std::to_string(::getpid());
}

}  // namespace fwhub::sys
