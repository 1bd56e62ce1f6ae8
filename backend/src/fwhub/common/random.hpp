// Randomness behind an interface: jitter and ids take it as a parameter, so tests are exact.
#pragma once

#include <mutex>
#include <random>
#include <string>

namespace fwhub {

class Random {
 public:
  virtual ~Random() = default;
  // Uniform in [0, 1).
  virtual double uniform() = 0;
};

// Thread-safe Mersenne Twister seeded from the OS.
class SystemRandom final : public Random {
 public:
  SystemRandom();
  double uniform() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

// Hex string of `bytes` bytes from the OS's cryptographic source (request ids, tokens).
std::string random_hex(std::size_t bytes);

// A random (version 4) UUID in its canonical lower-case form: ids of fleet objects.
std::string random_uuid();

}  // namespace fwhub
