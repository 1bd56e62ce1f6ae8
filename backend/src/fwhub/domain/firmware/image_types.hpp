// Image types (an OpenWrt sysupgrade image name without the "openwrt-<version>-" prefix) and the
// boards each fits: a built-in table, entries derived from profiles.json, operator-defined ones,
// and the ordered table that merges them.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace fwhub::domain::firmware {

struct ImageType {
  std::string type;                 // "ath79-generic-tplink_archer-c7-v5-squashfs-sysupgrade.bin"
  std::string label;                // "TP-Link Archer C7 v5 (OpenWrt 19.07 and later)"
  std::vector<std::string> boards;  // model strings ("TP-Link Archer C7 v5") and board names ("tplink,archer-c7-v5")
};

// Removes the "openwrt-<version>-" prefix: releases ("23.05.4", "22.03.0-rc1"), branch snapshots
// ("23.05-snapshot-r23881-7ec4b6fb6c") and, for main snapshots, just "openwrt-". Other names are
// returned unchanged.
std::string type_from_filename(std::string_view file_name);

// Common devices, from the 23.05.4 profiles (and 19.07.10 for the "19.07 and later" labels: the
// label names the oldest of those two releases that has an image of that name). Model strings are
// the profiles' titles, which is what most devices' device trees give as their model.
const std::vector<ImageType>& builtin_image_types();

// One entry per sysupgrade image of every profile in a profiles.json document: the images whose
// type contains "sysupgrade" or, for a profile without one, its "combined", "combined-efi" and
// "sdcard" images (what sysupgrade takes on x86 and SD-card boards). Label: the titles
// ("vendor model variant") joined by " / "; boards: supported_devices, then the titles as model
// strings. Throws Error(kInvalidArgument) naming the problem when the document is malformed.
std::vector<ImageType> image_types_from_profiles_json(std::string_view profiles_json);

// The custom_images setting: [["type", {"label": "...", "boards": ["..."]}], ...] (the form of
// upstream's OPENWISP_CUSTOM_OPENWRT_IMAGES); "" (the setting's default) is none. Throws
// Error(kInvalidArgument) naming the entry and what is wrong with it.
std::vector<ImageType> parse_custom_image_types(std::string_view json);

// Whether a device fits an image type: its board_name (/tmp/sysinfo/board_name) is one of the
// boards, or else its model (/tmp/sysinfo/model) is, compared exactly and case-sensitively. Empty
// strings never match.
bool fits(const ImageType& image_type, std::string_view board_name, std::string_view model);

class ImageTypeTable {
 public:
  // `sources` in priority order (custom entries, built-in, catalog-derived): a type listed more
  // than once keeps its first entry.
  explicit ImageTypeTable(const std::vector<std::vector<ImageType>>& sources);

  // The merged entries, in priority order.
  [[nodiscard]] const std::vector<ImageType>& entries() const { return entries_; }
  [[nodiscard]] const ImageType* find(std::string_view type) const;
  // Empty when the type is unknown.
  [[nodiscard]] std::vector<std::string> boards_for(std::string_view type) const;
  // False when the type is unknown.
  [[nodiscard]] bool fits(std::string_view type, std::string_view board_name, std::string_view model) const;

 private:
  std::vector<ImageType> entries_;
  std::map<std::string, std::size_t, std::less<>> index_;
};

}  // namespace fwhub::domain::firmware
