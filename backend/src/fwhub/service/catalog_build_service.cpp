// One ASU build request per profile, validated like /api/v1/build, linked to the fleet build.
#include "fwhub/service/catalog_build_service.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "fwhub/common/json_text.hpp"
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::service {
namespace {

constexpr rapidjson::SizeType kMaxProfiles = 64;

std::string location(const std::vector<std::string>& parts) {
  std::string text;
  for (const auto& part : parts) {
    if (part != "body") {
      text += (text.empty() ? "" : ".") + part;
    }
  }
  return text.empty() ? "body" : text;
}

}  // namespace

std::vector<RequestedImage> CatalogBuildService::request(const domain::fleet::Principal& who,
                                                         const std::string& build_id, std::string_view body) {
  fleet_.changeable(who, domain::fleet::Table::kBuild, build_id);
  rapidjson::Document document;
  const std::string reason = parse_json(document, body);
  if (!reason.empty() || !document.IsObject()) {
    throw Error(Code::kInvalidArgument,
                std::string("the request body must be a JSON object") + (reason.empty() ? "" : " (" + reason + ")"));
  }
  if (!document.HasMember("profiles") || !document["profiles"].IsArray() || document["profiles"].Empty() ||
      document["profiles"].Size() > kMaxProfiles) {
    throw domain::fleet::ValidationError("profiles", "Give a list of 1 to 64 profile names.");
  }
  const rapidjson::Value profiles = rapidjson::Value(document["profiles"], document.GetAllocator());
  document.RemoveMember("profiles");
  domain::build::Limits limits;
  limits.max_defaults_length = config_.build.max_defaults_length;
  limits.max_custom_rootfs_size_mb = config_.build.max_custom_rootfs_size_mb;
  std::vector<domain::build::BuildRequest> requests;
  for (const auto& profile : profiles.GetArray()) {
    if (!profile.IsString()) {
      throw domain::fleet::ValidationError("profiles", "Profile names are strings.");
    }
    document.RemoveMember("profile");
    document.AddMember("profile", rapidjson::Value(profile, document.GetAllocator()), document.GetAllocator());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    document.Accept(writer);
    auto parsed = domain::build::parse_build_request({buffer.GetString(), buffer.GetSize()}, limits);
    if (!parsed.request) {
      domain::fleet::FieldErrors errors;
      for (const auto& error : parsed.errors) {
        errors.add(location(error.location), error.message);
      }
      errors.throw_if_any();
    }
    parsed.request->client = "fwhub-fleet/1";
    requests.push_back(std::move(*parsed.request));
  }
  std::vector<RequestedImage> requested;
  for (const auto& request : requests) {
    const auto record = builds_.submit(request);
    store_.add_build_source(build_id, record.request_hash, request.profile);
    // Read again after linking: a build that finished meanwhile (or was done already) has no
    // build job left to queue the attachment.
    const auto now = builds_.find(record.request_hash);
    if (!now || now->status == domain::build::BuildStatus::kDone ||
        now->status == domain::build::BuildStatus::kFailed) {
      store_.enqueue_attach(record.request_hash);
    }
    requested.push_back({request.profile, record.request_hash});
  }
  return requested;
}

}  // namespace fwhub::service
