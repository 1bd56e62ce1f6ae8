// Use cases of fleet management with the spec's rules: organizations, users, categories, builds,
// firmware images, devices, credentials, device connections and device firmware. Every call takes
// the Principal asking; another organization's objects answer "not found".
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fwhub/common/secret_box.hpp"
#include "fwhub/domain/firmware/image_types.hpp"
#include "fwhub/domain/fleet/account_store.hpp"
#include "fwhub/domain/fleet/firmware_files.hpp"
#include "fwhub/domain/fleet/fleet_store.hpp"
#include "fwhub/domain/fleet/input.hpp"
#include "fwhub/domain/fleet/principal.hpp"
#include "fwhub/domain/fleet/uploaded_image.hpp"
#include "fwhub/service/image_boards.hpp"

namespace fwhub::service {

class FleetService {
 public:
  FleetService(domain::fleet::FleetStore& store, domain::fleet::AccountStore& accounts,
               domain::fleet::FirmwareFiles& files, ImageBoards& boards, const SecretBox* secrets)
      : store_(store), accounts_(accounts), files_(files), boards_(boards), secrets_(secrets) {}

  using Principal = domain::fleet::Principal;
  using Input = domain::fleet::Input;
  using Table = domain::fleet::Table;

  // Throws Error kNotFound when the object does not exist or `who` may not see it; returns its
  // organization (nullopt: shared).
  std::optional<std::string> readable(const Principal& who, Table table, const std::string& id);
  // As readable(), plus Error kPermissionDenied when `who` may see but not change it.
  std::optional<std::string> changeable(const Principal& who, Table table, const std::string& id);

  std::string create_organization(const Principal& who, Input input);
  void update_organization(const Principal& who, const std::string& id, Input input);
  void delete_organization(const Principal& who, const std::string& id);
  // Organization id from a slug or id the principal may see; nullopt when unknown or hidden.
  std::optional<std::string> visible_organization(const Principal& who, const std::string& slug_or_id);

  std::string create_user(const Principal& who, Input input);
  void update_user(const Principal& who, const std::string& id, Input input);
  void delete_user(const Principal& who, const std::string& id);

  std::string create_category(const Principal& who, Input input);
  void update_category(const Principal& who, const std::string& id, Input input);
  void delete_category(const Principal& who, const std::string& id);

  std::string create_build(const Principal& who, Input input);
  void update_build(const Principal& who, const std::string& id, Input input);
  void delete_build(const Principal& who, const std::string& id);

  // Checks and stores an uploaded image (the incoming file is adopted or discarded).
  std::string add_image(const Principal& who, const std::string& build_id, domain::fleet::UploadedImage upload);
  void delete_image(const Principal& who, const std::string& build_id, const std::string& image_id);
  // The path to hand to nginx for a private download.
  std::string image_download(const Principal& who, const std::string& build_id, const std::string& image_id);

  std::string create_device(const Principal& who, Input input);
  void update_device(const Principal& who, const std::string& id, Input input);
  void delete_device(const Principal& who, const std::string& id);

  std::string create_credentials(const Principal& who, Input input);
  void update_credentials(const Principal& who, const std::string& id, Input input);
  void delete_credentials(const Principal& who, const std::string& id);

  std::string create_connection(const Principal& who, const std::string& device_id, Input input);
  void update_connection(const Principal& who, const std::string& device_id, const std::string& id, Input input);
  void delete_connection(const Principal& who, const std::string& device_id, const std::string& id);

  // Throws kNotFound when `who` may not operate the device, kPermissionDenied when it is
  // deactivated: the first checks of a device firmware change, before anything else.
  void check_firmware_change(const Principal& who, const std::string& device_id);
  // PUT (partial = false) or PATCH of a device's firmware; true when the row was created.
  bool set_device_firmware(const Principal& who, const std::string& device_id, Input input);

 private:
  std::optional<std::string> organization_field(const Principal& who, Input& input, bool allow_shared);
  void require_superuser(const Principal& who) const;
  // The account `who` may change (user_access kManage); kNotFound when hidden, kPermissionDenied
  // when only visible.
  domain::fleet::UserAccount managed_user(const Principal& who, const std::string& id);
  // The device is changeable by `who` and the connection belongs to it; else kNotFound.
  void check_connection(const Principal& who, const std::string& device_id, const std::string& id);

  domain::fleet::FleetStore& store_;
  domain::fleet::AccountStore& accounts_;
  domain::fleet::FirmwareFiles& files_;
  ImageBoards& boards_;
  const SecretBox* secrets_;  // null when no secret key is configured
};

}  // namespace fwhub::service
