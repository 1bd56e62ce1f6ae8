// One-time libsodium initialisation, safe to call from any thread.
#pragma once

namespace fwhub {

// Throws Error(kInternal) when libsodium cannot initialise (no entropy source).
void ensure_sodium();

}  // namespace fwhub
