// Writing and atomically swapping the public document tree.
#include "fwhub/sys/public_tree.hpp"

#include <unistd.h>

#include <fstream>

#include "fwhub/common/random.hpp"
#include "fwhub/common/status.hpp"

namespace fwhub::sys {
namespace {

constexpr const char* kMarker = ".generation";

}  // namespace

std::optional<long> PublicTree::published_generation() {
  std::ifstream in(link() / kMarker);
  long generation = 0;
  if (in >> generation) {
    return generation;
  }
  return std::nullopt;
}

void PublicTree::begin(long generation) {
  generation_ = generation;
  building_ = state_dir_ / ("public." + std::to_string(generation) + "." + random_hex(4));
  std::filesystem::create_directories(building_);
}

void PublicTree::write(const std::string& path, const std::string& content) {
  if (path.empty() || path.front() == '/' || path.find("..") != std::string::npos) {
    throw Error(Code::kInvalidArgument, "refusing to publish outside the tree: " + path);
  }
  const auto target = building_ / path;
  std::filesystem::create_directories(target.parent_path());
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) {
    throw Error(Code::kUnavailable, "cannot write " + target.string());
  }
}

void PublicTree::commit() {
  { std::ofstream(building_ / kMarker) << generation_ << "\n"; }
  const auto temporary_link = state_dir_ / ("public.link." + random_hex(4));
  std::filesystem::create_directory_symlink(building_.filename(), temporary_link);
  if (std::filesystem::is_directory(std::filesystem::symlink_status(link()))) {
    std::filesystem::remove_all(link());  // a plain folder left by hand cannot be swapped atomically
  }
  std::filesystem::rename(temporary_link, link());  // rename(2) replaces the old link atomically
  for (const auto& entry : std::filesystem::directory_iterator(state_dir_)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("public.") && entry.path() != building_ && !entry.is_symlink()) {
      std::error_code ignored;
      std::filesystem::remove_all(entry.path(), ignored);
    }
  }
}

}  // namespace fwhub::sys
