// The folder nginx serves the catalog documents from: each publication is written into a new
// folder "public.<generation>.<random>", then the symlink "public" is swapped to it in one
// rename, and older folders are removed.
#pragma once

#include <filesystem>

#include "fwhub/service/catalog_publisher.hpp"

namespace fwhub::sys {

class PublicTree final : public service::DocumentSink {
 public:
  explicit PublicTree(std::filesystem::path state_dir) : state_dir_(std::move(state_dir)) {}

  std::optional<long> published_generation() override;
  void begin(long generation) override;
  void write(const std::string& path, const std::string& content) override;
  void commit() override;

  [[nodiscard]] std::filesystem::path link() const { return state_dir_ / "public"; }

 private:
  std::filesystem::path state_dir_;
  std::filesystem::path building_;
  long generation_ = 0;
};

}  // namespace fwhub::sys
