// Copies a built sysupgrade image from the store into the firmware folder (taking its digest on
// the way) and adds it to each waiting fleet build through FleetService, which checks it like an
// upload.
#include "fwhub/scheduler/fleet_attach_job.hpp"

#include <rapidjson/document.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>

#include "fwhub/common/json_text.hpp"
#include "fwhub/db/account_repository.hpp"
#include "fwhub/db/build_repository.hpp"
#include "fwhub/db/catalog_repository.hpp"
#include "fwhub/db/fleet_repository.hpp"
#include "fwhub/domain/firmware/image_types.hpp"
#include "fwhub/domain/fleet/image_digest.hpp"
#include "fwhub/domain/fleet/validation.hpp"
#include "fwhub/service/fleet_service.hpp"
#include "fwhub/sys/firmware_folder.hpp"

namespace fwhub::scheduler {
namespace {

namespace fs = std::filesystem;

// The sysupgrade image of a build result (the first image when there is none).
std::optional<std::string> sysupgrade_name(const std::string& result_json) {
  rapidjson::Document result;
  if (!parse_json(result, result_json).empty() || !result.IsObject() || !result.HasMember("images") ||
      !result["images"].IsArray()) {
    return std::nullopt;
  }
  std::optional<std::string> first;
  for (const auto& image : result["images"].GetArray()) {
    if (!image.IsObject() || !image.HasMember("name") || !image["name"].IsString()) {
      continue;
    }
    const std::string name = image["name"].GetString();
    if (image.HasMember("type") && image["type"].IsString() && std::string(image["type"].GetString()) == "sysupgrade") {
      return name;
    }
    first = first.value_or(name);
  }
  return first;
}

// Built images carry EXTRA_IMAGE_NAME (12 hex digits of the package list) after the version:
// "openwrt-23.05.4-3096fd17ccf8-ath79-…" is of type "ath79-…".
std::string image_type(const std::string& file_name) {
  std::string type = domain::firmware::type_from_filename(file_name);
  constexpr std::size_t kExtra = 12;
  if (type.size() > kExtra + 1 && type[kExtra] == '-' &&
      std::all_of(type.begin(), type.begin() + kExtra, [](char c) { return std::isxdigit(c) != 0; })) {
    type.erase(0, kExtra + 1);
  }
  return type;
}

// Copies `source` to an incoming file of the firmware folder, digesting it.
domain::fleet::UploadedImage copy_in(const fs::path& source, domain::fleet::FirmwareFiles& files) {
  domain::fleet::UploadedImage image;
  image.incoming_path = files.incoming_path();
  image.file_name = source.filename().string();
  domain::fleet::ImageDigest digest(0);
  std::ifstream in(source, std::ios::binary);
  std::ofstream out(image.incoming_path, std::ios::binary | std::ios::trunc);
  if (!in || !out) {
    throw Error(Code::kUnavailable, "cannot copy " + source.string() + " into the firmware folder");
  }
  std::array<char, 65536> buffer{};
  while (in.read(buffer.data(), buffer.size()) || in.gcount() > 0) {
    const std::string_view chunk(buffer.data(), static_cast<std::size_t>(in.gcount()));
    digest.add(chunk);
    out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  }
  out.close();
  if (!out) {
    files.discard(image.incoming_path);
    throw Error(Code::kUnavailable, "the firmware folder is full");
  }
  digest.finish(image);
  return image;
}

Status attach(const Config& config, const std::string& hash) {
  db::Connection connection(config.database);
  db::FleetRepository store(connection);
  db::AccountRepository accounts(connection);
  db::CatalogRepository catalog(connection);
  db::BuildRepository builds(connection);
  sys::FirmwareFolder files(fs::path(config.paths.state_dir) / "firmware");
  service::ImageBoards boards(domain::firmware::parse_custom_image_types(config.fleet.custom_images),
                              [&catalog](const std::string& target) { return catalog.profiles_of_target(target); });
  service::FleetService fleet(store, accounts, files, boards, nullptr);
  domain::fleet::Principal system;
  system.user_id = "scheduler";
  system.superuser = true;

  const auto record = builds.find(hash);
  std::string failure;
  std::optional<fs::path> source;
  if (!record) {
    failure = "the image build expired before its image could be attached";
  } else if (record->status == domain::build::BuildStatus::kFailed) {
    failure = "the image build failed: " + record->detail;
  } else if (record->status != domain::build::BuildStatus::kDone) {
    return {Code::kUnavailable, "image build " + hash + " has not finished"};  // retried later
  } else if (const auto name = sysupgrade_name(record->result_json)) {
    source = fs::path(config.paths.state_dir) / "store" / hash / *name;
  } else {
    failure = "the image build produced no image";
  }
  for (const auto& [build_id, profile] : store.waiting_sources(hash)) {
    if (!source) {
      store.finish_source(build_id, hash, false, failure, std::nullopt);
      continue;
    }
    try {
      auto upload = copy_in(*source, files);
      upload.type = image_type(upload.file_name);
      const std::string image_id = fleet.add_image(system, build_id, std::move(upload));
      store.finish_source(build_id, hash, true, "", image_id);
      spdlog::info("attached image of build {} ({}) to fleet build {}", hash, profile, build_id);
    } catch (const domain::fleet::ValidationError& error) {
      store.finish_source(build_id, hash, false, error.what(), std::nullopt);
    } catch (const Error& error) {
      if (error.code() == Code::kNotFound) {  // the fleet build was deleted meanwhile
        continue;
      }
      throw;
    }
  }
  return Status::ok();
}

}  // namespace

JobKind make_fleet_attach_job(const Config& config) {
  JobKind kind;
  kind.name = kFleetAttachKind;
  kind.max_attempts = 5;
  kind.backoff = {std::chrono::seconds(5), std::chrono::minutes(5), 2.0, 0.25};
  kind.run = [&config](JobContext& context) { return attach(config, context.payload_string("request_hash")); };
  return kind;
}

}  // namespace fwhub::scheduler
