// Image endpoints of /api/v1/firmware-upgrader/build/{build}/image/.
#include "fwhub/api/handlers/image_handler.hpp"

#include "fwhub/api/fleet_request.hpp"
#include "fwhub/api/image_upload.hpp"
#include "fwhub/api/upload_slots.hpp"

namespace fwhub::api {
using domain::fleet::Table;

namespace {

// When the worker receives api.max_uploads already: answered before a byte of the body is read.
Response uploads_busy() {
  Response response = problem_response(503, "too many firmware uploads in progress; retry later");
  response.header("Retry-After", "10");
  return response;
}

}  // namespace

Response handle_image_list(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.readable(who, Table::kBuild, request.param("build"));
  return list_response(context, domain::fleet::image_resource(), request, who, "i.build_id = ?",
                       request.param("build"));
}

Response handle_image_upload(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  auto& fleet = context.fleet_services();
  const std::string& build_id = request.param("build");
  // All of this on the headers, before a byte of the body is read: the refused are answered at
  // once, and only an upload that may be stored occupies this thread while it arrives.
  fleet.fleet.changeable(who, Table::kBuild, build_id);
  if (!request.stream) {
    throw Error(Code::kInvalidArgument, "upload the image as multipart/form-data with a \"file\" part");
  }
  const auto slot =
      context.upload_slots == nullptr ? std::optional<UploadSlots::Slot>() : context.upload_slots->try_take();
  if (context.upload_slots != nullptr && !slot) {
    return uploads_busy();
  }
  const std::string incoming = fleet.files.incoming_path();
  domain::fleet::UploadedImage upload;
  try {
    ImageUpload receiver(incoming, static_cast<std::uint64_t>(context.config.fleet.max_image_bytes));
    upload = receiver.receive(request.header("content-type").value_or(""), request.stream);
  } catch (...) {
    fleet.files.discard(incoming);
    throw;
  }
  const std::string id = fleet.fleet.add_image(who, build_id, std::move(upload));
  return record_response(context, domain::fleet::image_resource(), id, scope_of(who, "i.build_id = ?", build_id), 201);
}

Response handle_image_get(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  return record_response(context, domain::fleet::image_resource(), request.param("id"),
                         scope_of(who, "i.build_id = ?", request.param("build")));
}

Response handle_image_delete(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.delete_image(who, request.param("build"), request.param("id"));
  return no_content();
}

Response handle_image_download(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  const std::string path =
      context.fleet_services().fleet.image_download(who, request.param("build"), request.param("id"));
  const std::string file_name = path.substr(path.rfind('/') + 1);
  Response response;
  response.header("Content-Type", "application/octet-stream");
  response.header("Content-Disposition", attachment_disposition(file_name));
  response.header("X-Accel-Redirect", std::string(kPrivateFirmwareLocation) + path);
  response.header("Cache-Control", "private, no-store");
  return response;
}

Response handle_catalog_build_request(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  const auto requested = context.fleet_services().catalog_builds.request(who, request.param("build"), request.body);
  return json_response(202, [&requested](JsonWriter& w) {
    w.StartObject();
    w.Key("images");
    w.StartArray();
    for (const auto& image : requested) {
      w.StartObject();
      w.Key("profile");
      w.String(image.profile.c_str(), static_cast<rapidjson::SizeType>(image.profile.size()));
      w.Key("request_hash");
      w.String(image.request_hash.c_str(), static_cast<rapidjson::SizeType>(image.request_hash.size()));
      w.Key("status");
      w.String("building");
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

Response handle_catalog_build_list(const Request& request, Context& context) {
  const auto who = authenticate(request, context);
  context.fleet_services().fleet.readable(who, Table::kBuild, request.param("build"));
  return list_response(context, domain::fleet::build_source_resource(), request, who, "s.build_id = ?",
                       request.param("build"));
}

}  // namespace fwhub::api
