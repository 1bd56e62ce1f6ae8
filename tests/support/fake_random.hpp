// A Random that returns a fixed sequence, so that jitter is exact in tests.
#pragma once

#include <vector>

#include "fwhub/common/random.hpp"

namespace fwhub::testing {

class FakeRandom final : public Random {
 public:
  explicit FakeRandom(std::vector<double> values) : values_(std::move(values)) {}
  double uniform() override {
    const double value = values_.at(next_ % values_.size());
    ++next_;
    return value;
  }

 private:
  std::vector<double> values_;
  std::size_t next_ = 0;
};

}  // namespace fwhub::testing
