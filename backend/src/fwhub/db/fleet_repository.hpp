// Writes and rule lookups of the fleet tables in MariaDB.
#pragma once

#include "fwhub/db/connection.hpp"
#include "fwhub/domain/fleet/fleet_store.hpp"

namespace fwhub::db {

class FleetRepository final : public domain::fleet::FleetStore {
 public:
  explicit FleetRepository(Connection& connection) : connection_(connection) {}

  std::optional<std::optional<std::string>> owner(domain::fleet::Table table, const std::string& id) override;
  void insert(domain::fleet::Table table, const std::string& id, const domain::fleet::Values& values) override;
  bool update(domain::fleet::Table table, const std::string& id, const domain::fleet::Values& values) override;
  bool remove(domain::fleet::Table table, const std::string& id) override;
  std::vector<std::string> build_ids_of_category(const std::string& category_id) override;
  std::vector<std::string> build_ids_of_organization(const std::string& organization_id) override;
  bool os_taken(const std::optional<std::string>& organization_id, const std::string& os,
                const std::string& except_build_id) override;
  std::optional<domain::fleet::DeviceFacts> device(const std::string& id) override;
  std::optional<domain::fleet::ImageFacts> image(const std::string& id) override;
  bool has_connection(const std::string& device_id) override;
  void attach_auto_credentials(const std::string& device_id) override;
  void attach_to_devices(const std::string& credentials_id) override;
  void fill_build_os(const std::string& build_id, const std::string& os) override;
  bool connection_of_device(const std::string& connection_id, const std::string& device_id) override;
  void add_build_source(const std::string& build_id, const std::string& request_hash,
                        const std::string& profile) override;
  void enqueue_attach(const std::string& request_hash) override;
  std::vector<std::pair<std::string, std::string>> waiting_sources(const std::string& request_hash) override;
  void finish_source(const std::string& build_id, const std::string& request_hash, bool attached,
                     const std::string& detail, const std::optional<std::string>& image_id) override;
  std::optional<std::string> device_firmware_id(const std::string& device_id) override;

 private:
  Connection& connection_;
};

}  // namespace fwhub::db
