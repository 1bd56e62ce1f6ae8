// Facts about this host and process.
#pragma once

#include <string>

namespace fwhub::sys {

// "hostname:pid", the default scheduler identity (lease owner).
std::string process_identity();

}  // namespace fwhub::sys
