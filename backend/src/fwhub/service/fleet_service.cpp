// Fleet use cases: access checks first, then the spec's validation in its order, then storage.
#include "fwhub/service/fleet_service.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <regex>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/random.hpp"
#include "fwhub/service/image_checks.hpp"

namespace fwhub::service {
namespace {

using domain::fleet::Input;
using domain::fleet::Role;
using domain::fleet::Values;

void put(Values& values, const char* column, const std::optional<std::string>& value) {
  if (value) {
    values.emplace_back(column, *value);
  }
}

void put_flag(Values& values, const char* column, std::optional<bool> value) {
  if (value) {
    values.emplace_back(column, *value ? "1" : "0");
  }
}

void put_int(Values& values, const char* column, std::optional<int> value) {
  if (value) {
    values.emplace_back(column, std::to_string(*value));
  }
}

std::string json_array(const std::vector<std::string>& items) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartArray();
  for (const auto& item : items) {
    writer.String(item.c_str(), static_cast<rapidjson::SizeType>(item.size()));
  }
  writer.EndArray();
  return {buffer.GetString(), buffer.GetSize()};
}

std::vector<std::string> string_array(const std::string& json) {
  rapidjson::Document document;
  (void)parse_json(document, json);  // a stored array; anything else has no items
  std::vector<std::string> items;
  if (document.IsArray()) {
    for (const auto& item : document.GetArray()) {
      if (item.IsString()) {
        items.emplace_back(item.GetString(), item.GetStringLength());
      }
    }
  }
  return items;
}

// A hostname or an IPv4/IPv6 address, no spaces or URL parts.
bool valid_address(const std::string& address) {
  static const std::regex kAddress("^[A-Za-z0-9.:_-]{1,64}$");
  return std::regex_match(address, kAddress);
}

// The fields a device's create and update share: name, model, board, uuid, os, address, port,
// group, location, deactivated.
void device_fields(Input& input, Values& values) {
  put(values, "name", input.text("name", 64, true));
  put(values, "model", input.text("model", 128, false, true));
  put(values, "board_name", input.text("board_name", 128, false, true));
  put(values, "os", input.text("os", 128, false, true));
  put(values, "uuid", input.text("uuid", 36, false, true));
  const auto address = input.text("management_ip", 64, false, true);
  if (address && !address->empty() && !valid_address(*address)) {
    input.errors().add("management_ip", "Enter a valid IP address or host name.");
  }
  put(values, "management_ip", address);
  put_int(values, "ssh_port", input.integer("ssh_port", 1, 65535));
  put(values, "group_name", input.text("group", 64, false, true));
  put(values, "location", input.text("location", 128, false, true));
  put_flag(values, "deactivated", input.boolean("deactivated"));
}

// Records `who` as the one who pointed a device at its address (the credential rules ask).
void point_device(const domain::fleet::Principal& who, Values& values) {
  values.emplace_back("address_set_by", who.user_id);
  values.emplace_back("address_by_superuser", who.superuser ? "1" : "0");
}

void check_private_key(Input& input, const std::optional<std::string>& key) {
  if (key && (key->find("-----BEGIN ") != 0 || key->find("PRIVATE KEY-----") == std::string::npos)) {
    input.errors().add("private_key", "Not a private key in PEM or OpenSSH format.");
  }
}

}  // namespace

std::optional<std::string> FleetService::readable(const Principal& who, Table table, const std::string& id) {
  const auto owner = store_.owner(table, id);
  if (!owner || !domain::fleet::can_read(who, *owner)) {
    throw Error(Code::kNotFound, "not found");
  }
  return *owner;
}

std::optional<std::string> FleetService::changeable(const Principal& who, Table table, const std::string& id) {
  auto owner = readable(who, table, id);
  if (!domain::fleet::can_change(who, owner)) {
    throw Error(Code::kPermissionDenied, owner ? "your role in this organization does not allow changes"
                                               : "shared objects are changed by superusers only");
  }
  return owner;
}

void FleetService::require_superuser(const Principal& who) const {
  if (!who.superuser) {
    throw Error(Code::kPermissionDenied, "only superusers may do this");
  }
}

std::optional<std::string> FleetService::visible_organization(const Principal& who, const std::string& slug_or_id) {
  auto id = accounts_.organization_id(slug_or_id);
  if (!id || (!who.superuser && who.role_in(*id) == Role::kNone)) {
    return std::nullopt;
  }
  return id;
}

// The "organization" field (slug or id). Absent: the only organization the user administers.
// null: shared, when allowed and the user is a superuser. A user who administers no organization
// may create nothing (403); naming one the user does not administer is 403 as well.
std::optional<std::string> FleetService::organization_field(const Principal& who, Input& input, bool allow_shared) {
  std::vector<std::string> administered;
  for (const auto& [id, role] : who.roles) {
    if (role == Role::kAdmin) {
      administered.push_back(id);
    }
  }
  if (!who.superuser && administered.empty()) {
    throw Error(Code::kPermissionDenied, "your role does not allow creating objects in any organization");
  }
  if (!input.has("organization")) {
    if (!who.superuser && administered.size() == 1) {
      return administered.front();
    }
    input.errors().add("organization", "This field is required.");
    return std::nullopt;
  }
  const auto value = input.nullable_text("organization", 64);
  if (!value) {
    return std::nullopt;
  }
  if (!*value) {
    if (!allow_shared) {
      input.errors().add("organization", "This field may not be null.");
    } else if (!who.superuser) {
      input.errors().add("organization", "Only superusers may create shared objects.");
    }
    return std::nullopt;
  }
  auto id = visible_organization(who, **value);
  if (!id) {
    input.errors().add("organization", "Organization \"" + **value + "\" does not exist.");
    return std::nullopt;
  }
  if (!domain::fleet::can_change(who, *id)) {
    throw Error(Code::kPermissionDenied, "you are not an administrator of organization \"" + **value + "\"");
  }
  return id;
}

std::string FleetService::create_category(const Principal& who, Input input) {
  const auto organization = organization_field(who, input, true);
  const auto name = input.text("name", 64, true);
  const auto description = input.text("description", 65535, false, true);
  input.check();
  std::string id = random_uuid();
  store_.insert(Table::kCategory, id,
                {{"organization_id", organization}, {"name", *name}, {"description", description.value_or("")}});
  return id;
}

void FleetService::update_category(const Principal& who, const std::string& id, Input input) {
  changeable(who, Table::kCategory, id);
  Values values;
  put(values, "name", input.text("name", 64, true));
  put(values, "description", input.text("description", 65535, false, true));
  if (input.has("organization")) {
    input.errors().add("organization", "The organization of a category cannot be changed.");
  }
  input.check();
  store_.update(Table::kCategory, id, values);
}

void FleetService::delete_category(const Principal& who, const std::string& id) {
  changeable(who, Table::kCategory, id);
  const auto builds = store_.build_ids_of_category(id);
  store_.remove(Table::kCategory, id);
  for (const auto& build : builds) {
    files_.remove_build(build);
  }
}

std::string FleetService::create_build(const Principal& who, Input input) {
  const auto category = input.text("category", 64, true);
  std::optional<std::string> organization;
  if (category) {
    const auto owner = store_.owner(Table::kCategory, *category);
    if (!owner || !domain::fleet::can_read(who, *owner)) {
      input.errors().add("category", "Invalid pk \"" + *category + "\" - object does not exist.");
    } else if (!domain::fleet::can_change(who, *owner)) {
      input.errors().add("category", "You may not add builds to this category.");
    } else {
      organization = *owner;
    }
  }
  const auto version = input.text("version", 32, true);
  const auto os = input.nullable_text("os", 64);
  const auto changelog = input.text("changelog", 65535, false, true);
  if (os && *os && store_.os_taken(organization, **os, "")) {
    input.errors().add("os", "A build with this os already exists in this organization.");
  }
  input.check();
  std::string id = random_uuid();
  store_.insert(Table::kBuild, id,
                {{"category_id", *category},
                 {"organization_id", organization},
                 {"version", *version},
                 {"os", os.value_or(std::nullopt)},
                 {"changelog", changelog.value_or("")}});
  return id;
}

void FleetService::update_build(const Principal& who, const std::string& id, Input input) {
  const auto organization = changeable(who, Table::kBuild, id);
  Values values;
  put(values, "version", input.text("version", 32, true));
  const auto os = input.nullable_text("os", 64);
  if (os) {
    values.emplace_back("os", *os);
    if (*os && store_.os_taken(organization, **os, id)) {
      input.errors().add("os", "A build with this os already exists in this organization.");
    }
  }
  put(values, "changelog", input.text("changelog", 65535, false, true));
  if (input.has("category")) {
    input.errors().add("category", "The category of a build cannot be changed.");
  }
  input.check();
  store_.update(Table::kBuild, id, values);
}

void FleetService::delete_build(const Principal& who, const std::string& id) {
  changeable(who, Table::kBuild, id);
  store_.remove(Table::kBuild, id);
  files_.remove_build(id);
}

std::string FleetService::add_image(const Principal& who, const std::string& build_id,
                                    domain::fleet::UploadedImage upload) {
  struct Discard {
    domain::fleet::FirmwareFiles& files;
    std::string path;
    ~Discard() {
      if (!path.empty()) {
        files.discard(path);
      }
    }
  } discard{files_, upload.incoming_path};
  const auto organization = changeable(who, Table::kBuild, build_id);
  const CheckedImage checked = check_image(upload, boards_);
  std::string id = random_uuid();
  store_.insert(Table::kImage, id,
                {{"build_id", build_id},
                 {"organization_id", organization},
                 {"type", checked.type},
                 {"file_name", upload.file_name},
                 {"size", std::to_string(upload.size)},
                 {"sha256", upload.sha256},
                 {"boards", json_array(checked.boards)},
                 {"metadata", checked.metadata_json}});
  files_.adopt(upload.incoming_path, build_id, upload.file_name);
  discard.path.clear();
  if (!checked.os.empty() && !store_.os_taken(organization, checked.os, build_id)) {
    // Fills the build's os from the image when the operator left it empty.
    store_.fill_build_os(build_id, checked.os);
  }
  return id;
}

void FleetService::delete_image(const Principal& who, const std::string& build_id, const std::string& image_id) {
  changeable(who, Table::kImage, image_id);
  const auto image = store_.image(image_id);
  if (!image || image->build_id != build_id) {
    throw Error(Code::kNotFound, "not found");
  }
  store_.remove(Table::kImage, image_id);
  files_.remove_image(build_id, image->file_name);
}

std::string FleetService::image_download(const Principal& who, const std::string& build_id,
                                         const std::string& image_id) {
  readable(who, Table::kImage, image_id);
  const auto image = store_.image(image_id);
  if (!image || image->build_id != build_id) {
    throw Error(Code::kNotFound, "not found");
  }
  return files_.download_path(build_id, image->file_name);
}

std::string FleetService::create_device(const Principal& who, Input input) {
  const auto organization = organization_field(who, input, false);
  Values values{{"organization_id", organization}};
  device_fields(input, values);
  input.check();
  point_device(who, values);
  std::string id = random_uuid();
  store_.insert(Table::kDevice, id, values);
  store_.attach_auto_credentials(id);
  return id;
}

// An address (management_ip or ssh_port) that differs from the device's needs
// "confirm_address_change": true. A confirmed PATCH and a host key reset make `who` the one who
// pointed the device where it is, and clear the pinned host key: the next connection pins the key
// it finds there, and the credential rules (domain/upgrade/credential_trust.hpp) judge who that was.
void FleetService::update_device(const Principal& who, const std::string& id, Input input) {
  changeable(who, Table::kDevice, id);
  const auto current = store_.device(id);
  if (!current) {
    throw Error(Code::kNotFound, "not found");
  }
  Values values;
  device_fields(input, values);
  const auto confirmed = input.boolean("confirm_address_change");
  bool repointed = confirmed.value_or(false);
  for (const auto& [column, value] : values) {
    const bool moved = (column == "management_ip" && value && *value != current->management_ip) ||
                       (column == "ssh_port" && value && *value != std::to_string(current->ssh_port));
    if (moved && !repointed) {
      input.errors().add(column,
                         "Changing the address needs \"confirm_address_change\": true: the pinned host key "
                         "is cleared and the next connection pins the key it finds there.");
    }
  }
  if (input.has("host_key")) {  // only reset: the next connection pins the key it finds
    const auto key = input.nullable_text("host_key", 4096);
    if (key && *key) {
      input.errors().add("host_key", "The host key can only be reset (null); the next connection pins it.");
    }
    repointed = true;
  }
  if (input.has("organization")) {
    input.errors().add("organization", "The organization of a device cannot be changed.");
  }
  input.check();
  if (repointed) {
    values.emplace_back("host_key", std::nullopt);
    point_device(who, values);
  }
  store_.update(Table::kDevice, id, values);
}

void FleetService::delete_device(const Principal& who, const std::string& id) {
  changeable(who, Table::kDevice, id);
  store_.remove(Table::kDevice, id);
}

std::string FleetService::create_credentials(const Principal& who, Input input) {
  if (secrets_ == nullptr) {
    throw Error(Code::kFailedPrecondition, "credentials cannot be stored: fleet.secret_key is not configured");
  }
  const auto organization = organization_field(who, input, true);
  const auto name = input.text("name", 64, true);
  const auto username = input.text("username", 64, true);
  const auto port = input.integer("port", 1, 65535);
  const auto password = input.text("password", 1024, false);
  const auto key = input.text("private_key", 16384, false);
  const auto auto_add = input.boolean("auto_add");
  if (password.has_value() == key.has_value()) {
    input.errors().add("password", "Give either a password or a private key.");
  }
  check_private_key(input, key);
  input.check();
  std::string id = random_uuid();
  store_.insert(Table::kCredentials, id,
                {{"organization_id", organization},
                 {"name", *name},
                 {"username", *username},
                 {"port", std::to_string(port.value_or(22))},
                 {"auth", key ? "private_key" : "password"},
                 {"secret", secrets_->seal(key ? *key : *password)},
                 {"secret_set_by", who.user_id},
                 {"auto_add", auto_add.value_or(false) ? "1" : "0"}});
  if (auto_add.value_or(false)) {
    store_.attach_to_devices(id);
  }
  return id;
}

void FleetService::update_credentials(const Principal& who, const std::string& id, Input input) {
  changeable(who, Table::kCredentials, id);
  Values values;
  put(values, "name", input.text("name", 64, true));
  put(values, "username", input.text("username", 64, true));
  put_int(values, "port", input.integer("port", 1, 65535));
  const auto auto_add = input.boolean("auto_add");
  put_flag(values, "auto_add", auto_add);
  const auto password = input.text("password", 1024, false);
  const auto key = input.text("private_key", 16384, false);
  if (password && key) {
    input.errors().add("password", "Give either a password or a private key.");
  }
  check_private_key(input, key);
  if ((password || key) && secrets_ == nullptr) {
    throw Error(Code::kFailedPrecondition, "credentials cannot be stored: fleet.secret_key is not configured");
  }
  if (input.has("organization")) {
    input.errors().add("organization", "The organization of credentials cannot be changed.");
  }
  input.check();
  if (password || key) {
    values.emplace_back("auth", key ? "private_key" : "password");
    values.emplace_back("secret", secrets_->seal(key ? *key : *password));
    values.emplace_back("secret_set_by", who.user_id);
  }
  store_.update(Table::kCredentials, id, values);
  if (auto_add.value_or(false)) {
    store_.attach_to_devices(id);
  }
}

void FleetService::delete_credentials(const Principal& who, const std::string& id) {
  changeable(who, Table::kCredentials, id);
  store_.remove(Table::kCredentials, id);
}

std::string FleetService::create_connection(const Principal& who, const std::string& device_id, Input input) {
  const auto organization = changeable(who, Table::kDevice, device_id);
  const auto credentials = input.text("credentials", 64, true);
  if (credentials) {
    const auto owner = store_.owner(Table::kCredentials, *credentials);
    if (!owner || !domain::fleet::can_read(who, *owner)) {
      input.errors().add("credentials", "Invalid pk \"" + *credentials + "\" - object does not exist.");
    } else if (*owner && *owner != organization) {
      input.errors().add("credentials",
                         "The organization of these credentials doesn't match the organization of the device.");
    } else if (!*owner && !who.superuser) {
      input.errors().add("credentials", "Shared credentials can be added to a device by superusers only.");
    }
  }
  const auto enabled = input.boolean("enabled");
  input.check();
  std::string id = random_uuid();
  store_.insert(Table::kConnection, id,
                {{"device_id", device_id},
                 {"credentials_id", *credentials},
                 {"enabled", enabled.value_or(true) ? "1" : "0"},
                 {"failure_reason", ""},
                 {"attached_by_superuser", who.superuser ? "1" : "0"}});
  return id;
}

void FleetService::check_connection(const Principal& who, const std::string& device_id, const std::string& id) {
  changeable(who, Table::kDevice, device_id);
  if (!store_.connection_of_device(id, device_id)) {
    throw Error(Code::kNotFound, "not found");
  }
}

void FleetService::update_connection(const Principal& who, const std::string& device_id, const std::string& id,
                                     Input input) {
  check_connection(who, device_id, id);
  Values values;
  put_flag(values, "enabled", input.boolean("enabled"));
  if (input.has("credentials")) {
    input.errors().add("credentials", "The credentials of a connection cannot be changed; add a new connection.");
  }
  input.check();
  store_.update(Table::kConnection, id, values);
}

void FleetService::delete_connection(const Principal& who, const std::string& device_id, const std::string& id) {
  check_connection(who, device_id, id);
  store_.remove(Table::kConnection, id);
}

void FleetService::check_firmware_change(const Principal& who, const std::string& device_id) {
  const auto organization = readable(who, Table::kDevice, device_id);
  const auto device = store_.device(device_id);
  if (!device || !domain::fleet::can_operate(who, organization.value_or(""))) {
    throw Error(Code::kNotFound, "not found");
  }
  if (device->deactivated) {
    throw Error(Code::kPermissionDenied, "Firmware upgrades are not allowed for deactivated devices.");
  }
}

bool FleetService::set_device_firmware(const Principal& who, const std::string& device_id, Input input) {
  const auto organization = readable(who, Table::kDevice, device_id);
  if (!domain::fleet::can_operate(who, organization.value_or(""))) {
    throw Error(Code::kNotFound, "not found");
  }
  const auto device = store_.device(device_id);
  if (!device) {
    throw Error(Code::kNotFound, "not found");
  }
  if (device->deactivated) {
    throw Error(Code::kPermissionDenied, "Firmware upgrades are not allowed for deactivated devices.");
  }
  const auto existing = store_.device_firmware_id(device_id);
  const auto image_id = input.text("image", 64, !existing.has_value() || !input.partial());
  const auto installed = input.boolean("installed");
  if (image_id) {
    const auto image = store_.image(*image_id);
    if (!image || !domain::fleet::can_read(who, image->organization_id)) {
      input.errors().add("image", "Invalid pk \"" + *image_id + "\" - object does not exist.");
    } else if (image->organization_id && *image->organization_id != device->organization_id) {
      input.errors().add("image", "The organization of the image doesn't match the organization of the device");
    } else if (!store_.has_connection(device_id)) {
      input.errors().add("image",
                         "This device does not have a related connection object defined yet and therefore it would "
                         "not be possible to upgrade it, please add one in the section named \"CREDENTIALS\"");
    } else {
      const auto boards = string_array(image->boards_json);
      const bool fits = (!device->board_name.empty() &&
                         std::find(boards.begin(), boards.end(), device->board_name) != boards.end()) ||
                        std::find(boards.begin(), boards.end(), device->model) != boards.end();
      if (!fits) {
        input.errors().add("image", "Device model and image model do not match");
      }
    }
  }
  input.check();
  Values values;
  put(values, "image_id", image_id);
  put_flag(values, "installed", installed);
  if (existing) {
    store_.update(Table::kDeviceFirmware, *existing, values);
    return false;
  }
  values.emplace_back("device_id", device_id);
  store_.insert(Table::kDeviceFirmware, random_uuid(), values);
  return true;
}

}  // namespace fwhub::service
