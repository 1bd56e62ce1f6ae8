// What the fleet use cases need from storage for writes and rule checks (db::FleetRepository).
// Column names in Values come from service code, never from requests.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fwhub::domain::fleet {

enum class Table { kCategory, kBuild, kImage, kDevice, kCredentials, kConnection, kDeviceFirmware, kOperation, kBatch };

using Values = std::vector<std::pair<std::string, std::optional<std::string>>>;  // column -> value (NULL)

struct DeviceFacts {
  std::string organization_id;
  std::string model;
  std::string board_name;
  bool deactivated = false;
  std::string management_ip;
  int ssh_port = 22;
};

struct ImageFacts {
  std::string build_id;
  std::optional<std::string> organization_id;
  std::string type;
  std::string file_name;
  std::string boards_json;
};

class FleetStore {
 public:
  virtual ~FleetStore() = default;

  // The owning organization of a row (nullopt inside: shared); nullopt when the row does not exist.
  virtual std::optional<std::optional<std::string>> owner(Table table, const std::string& id) = 0;
  // Throw ValidationError (keyed by the field) when a uniqueness rule is violated.
  virtual void insert(Table table, const std::string& id, const Values& values) = 0;
  virtual bool update(Table table, const std::string& id, const Values& values) = 0;
  virtual bool remove(Table table, const std::string& id) = 0;

  // Builds below a category or an organization: their image folders go with them.
  virtual std::vector<std::string> build_ids_of_category(const std::string& category_id) = 0;
  virtual std::vector<std::string> build_ids_of_organization(const std::string& organization_id) = 0;
  // Another build of the same organization carries this os.
  virtual bool os_taken(const std::optional<std::string>& organization_id, const std::string& os,
                        const std::string& except_build_id) = 0;

  virtual std::optional<DeviceFacts> device(const std::string& id) = 0;
  virtual std::optional<ImageFacts> image(const std::string& id) = 0;
  virtual bool has_connection(const std::string& device_id) = 0;
  // Connects the device with every auto_add credential of its organization and shared ones (a
  // shared one's connection counts as added by a superuser: a superuser chose auto_add).
  virtual void attach_auto_credentials(const std::string& device_id) = 0;
  // Connects every device the credential may serve (its organization's, or all when shared; as
  // above, a shared one's connections count as added by a superuser).
  virtual void attach_to_devices(const std::string& credentials_id) = 0;
  // Sets the build's os when it has none.
  virtual void fill_build_os(const std::string& build_id, const std::string& os) = 0;
  virtual bool connection_of_device(const std::string& connection_id, const std::string& device_id) = 0;
  // Catalog builds: the image build `request_hash` makes an image for the fleet build.
  virtual void add_build_source(const std::string& build_id, const std::string& request_hash,
                                const std::string& profile) = 0;
  // Queues the job attaching finished images to fleet builds, if any is waiting for this hash.
  virtual void enqueue_attach(const std::string& request_hash) = 0;
  // Fleet builds waiting for the image of this request: (build id, profile).
  virtual std::vector<std::pair<std::string, std::string>> waiting_sources(const std::string& request_hash) = 0;
  virtual void finish_source(const std::string& build_id, const std::string& request_hash, bool attached,
                             const std::string& detail, const std::optional<std::string>& image_id) = 0;
  // The device firmware row's id; nullopt when the device has none.
  virtual std::optional<std::string> device_firmware_id(const std::string& device_id) = 0;
};

}  // namespace fwhub::domain::fleet
