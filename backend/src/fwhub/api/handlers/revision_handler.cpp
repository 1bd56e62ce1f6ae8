// Revision lookup for LuCI's snapshot check: {"revision":"r24012-d8dd03c46f"}.
#include "fwhub/api/handlers/revision_handler.hpp"

namespace fwhub::api {

Response handle_revision(const Request& request, Context& context) {
  const std::string& version = request.param("version");
  const std::string target = request.param("target") + "/" + request.param("subtarget");
  if (!context.catalog.has_version(version)) {
    throw Error(Code::kInvalidArgument, "Unsupported version: " + version);
  }
  const auto revision = context.catalog.version_code(version, target);
  if (!revision) {
    throw Error(Code::kInvalidArgument, "Unsupported target: " + target);
  }
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("revision");
    w.String(revision->c_str(), static_cast<rapidjson::SizeType>(revision->size()));
    w.EndObject();
  });
}

}  // namespace fwhub::api
