// libsodium's sodium_init() is idempotent and thread-safe; this turns its failure into an Error.
#include "fwhub/common/sodium_init.hpp"

#include <sodium.h>

#include "fwhub/common/status.hpp"

namespace fwhub {

void ensure_sodium() {
  if (sodium_init() < 0) {
    throw Error(Code::kInternal, "libsodium could not be initialised");
  }
}

}  // namespace fwhub
