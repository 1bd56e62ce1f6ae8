// Generation of the public catalog documents with RapidJSON.
#include "fwhub/service/catalog_publisher.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <map>
#include <set>

#include "fwhub/common/json_text.hpp"
#include "fwhub/common/utc_time.hpp"
#include "fwhub/common/version.hpp"
#include "fwhub/domain/catalog/branches.hpp"

namespace fwhub::service {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using domain::catalog::VersionRecord;

std::string to_json(const rapidjson::Value& value) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  value.Accept(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

template <typename Fn>
std::string write_json(Fn&& fn) {
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  std::forward<Fn>(fn)(writer);
  return {buffer.GetString(), buffer.GetSize()};
}

void string(Writer& w, const std::string& text) {
  w.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

void string_map(Writer& w, const std::map<std::string, std::string>& map) {
  w.StartObject();
  for (const auto& [key, value] : map) {
    string(w, key);
    string(w, value);
  }
  w.EndObject();
}

// A file name clients may ask for: the profile id and each board name, with ',' and with '_'.
std::set<std::string> profile_names(const rapidjson::Value& profile, const std::string& id) {
  std::set<std::string> names = {id};
  const auto devices = profile.FindMember("supported_devices");
  if (devices != profile.MemberEnd() && devices->value.IsArray()) {
    for (const auto& device : devices->value.GetArray()) {
      if (!device.IsString()) {
        continue;
      }
      std::string name(device.GetString(), device.GetStringLength());
      if (name.empty() || name.front() == '.' || name.find('/') != std::string::npos) {
        continue;
      }
      names.insert(name);
      std::replace(name.begin(), name.end(), ',', '_');
      names.insert(name);
    }
  }
  return names;
}

struct BranchView {
  const BranchConfig* config = nullptr;
  std::vector<std::string> versions;
  std::map<std::string, std::string> targets;  // of the newest version
};

class Builder {
 public:
  Builder(domain::catalog::CatalogStore& store, DocumentSink& sink, const CatalogConfig& catalog,
          const BuildConfig& build)
      : store_(store), sink_(sink), catalog_(catalog), build_(build) {}

  int files = 0;

  void run() {
    const auto versions = store_.versions();
    std::map<std::string, BranchView> branches;
    for (const auto& version : versions) {
      publish_version(version);
      auto& view = branches[version.branch];
      view.config = domain::catalog::find_branch(version.version, catalog_.branches);
      view.versions.push_back(version.version);
      if (view.targets.empty()) {
        for (const auto& target : store_.targets(version.version)) {
          view.targets[target.target] = target.arch;
        }
      }
    }
    publish_indexes(versions, branches);
  }

 private:
  void put(const std::string& path, const std::string& content) {
    sink_.write(path, content);
    ++files;
  }

  [[nodiscard]] std::string image_url() const {
    return catalog_.image_url.empty() ? catalog_.upstream_url : catalog_.image_url;
  }

  void publish_version(const VersionRecord& version) {
    std::vector<std::string> overview_entries;
    for (const auto& target : store_.targets(version.version)) {
      const auto body = store_.profiles_json(version.version, target.target);
      if (!body) {
        continue;
      }
      const std::string dir = version.path + "/targets/" + target.target;
      put(dir + "/profiles.json", *body);
      rapidjson::Document document;
      if (!parse_json(document, *body).empty() || !document.IsObject()) {
        continue;  // stored documents were parsed before; defensive only
      }
      publish_profiles(version, target, document, overview_entries);
      put("json/v1/" + dir + "/index.json", write_json([&](Writer& w) {
            w.StartObject();
            w.Key("architecture");
            string(w, target.arch);
            w.Key("packages");
            string_map(w, store_.packages(version.version, "target:" + target.target));
            w.EndObject();
          }));
    }
    std::string overview = R"({"release":)";
    overview += write_json([&](Writer& w) { string(w, version.version); });
    overview += R"(,"profiles":[)";
    for (std::size_t i = 0; i < overview_entries.size(); ++i) {
      overview += (i == 0 ? "" : ",") + overview_entries[i];
    }
    overview += "]}";
    put(version.path + "/.overview.json", overview);

    std::set<std::string> archs;
    for (const auto& target : store_.targets(version.version)) {
      archs.insert(target.arch);
    }
    for (const auto& arch : archs) {
      put("json/v1/" + version.path + "/packages/" + arch + "-index.json",
          write_json([&](Writer& w) { string_map(w, store_.packages(version.version, "feed:" + arch + "/")); }));
    }
  }

  void publish_profiles(const VersionRecord& version, const domain::catalog::TargetSummary& target,
                        rapidjson::Document& document, std::vector<std::string>& overview_entries) {
    auto& allocator = document.GetAllocator();
    const auto profiles = document.FindMember("profiles");
    if (profiles == document.MemberEnd() || !profiles->value.IsObject()) {
      return;
    }
    std::int64_t epoch = 0;
    if (const auto sde = document.FindMember("source_date_epoch"); sde != document.MemberEnd()) {
      epoch = sde->value.IsInt64() ? sde->value.GetInt64()
                                   : (sde->value.IsString() ? std::atoll(sde->value.GetString()) : 0);
    }
    const std::string build_at = format_utc(epoch, kIsoFormat);
    const std::string dir = "json/v1/" + version.path + "/targets/" + target.target + "/";
    std::set<std::string> ids;
    for (const auto& member : profiles->value.GetObject()) {
      ids.emplace(member.name.GetString(), member.name.GetStringLength());
    }
    std::set<std::string> written;
    for (auto& member : profiles->value.GetObject()) {
      const std::string id(member.name.GetString(), member.name.GetStringLength());
      rapidjson::Document merged;
      merged.SetObject();
      auto& merged_allocator = merged.GetAllocator();
      for (const auto& top : document.GetObject()) {
        if (std::string_view(top.name.GetString()) != "profiles") {
          merged.AddMember(rapidjson::Value(top.name, merged_allocator), rapidjson::Value(top.value, merged_allocator),
                           merged_allocator);
        }
      }
      for (const auto& field : member.value.GetObject()) {
        merged.RemoveMember(field.name.GetString());
        merged.AddMember(rapidjson::Value(field.name, merged_allocator),
                         rapidjson::Value(field.value, merged_allocator), merged_allocator);
      }
      merged.RemoveMember("id");
      merged.AddMember("id", rapidjson::Value(id.c_str(), merged_allocator), merged_allocator);
      merged.AddMember("build_at", rapidjson::Value(build_at.c_str(), merged_allocator), merged_allocator);
      const std::string content = to_json(merged);
      for (const auto& name : profile_names(member.value, id)) {
        // A board name never shadows another profile's id.
        if ((name == id || !ids.contains(name)) && written.insert(name).second) {
          put(dir + name + ".json", content);
        }
      }
      rapidjson::Document entry;
      entry.SetObject();
      entry.AddMember("id", rapidjson::Value(id.c_str(), entry.GetAllocator()), entry.GetAllocator());
      const auto titles = member.value.FindMember("titles");
      if (titles != member.value.MemberEnd()) {
        entry.AddMember("titles", rapidjson::Value(titles->value, entry.GetAllocator()), entry.GetAllocator());
      }
      entry.AddMember("target", rapidjson::Value(target.target.c_str(), entry.GetAllocator()), entry.GetAllocator());
      overview_entries.push_back(to_json(entry));
    }
    (void)allocator;
  }

  void write_branch(Writer& w, const BranchView& view) {
    const BranchConfig& branch = *view.config;
    w.StartObject();
    w.Key("name");
    string(w, branch.name);
    w.Key("enabled");
    w.Bool(branch.enabled);
    w.Key("snapshot");
    w.Bool(branch.snapshot);
    w.Key("path");
    string(w, branch.snapshot ? "snapshots" : "releases/{version}");
    w.Key("path_packages");
    w.String("DEPRECATED");
    w.Key("branch_off_rev");
    w.Int(branch.branch_off_rev);
    w.Key("versions");
    w.StartArray();
    for (const auto& version : view.versions) {
      string(w, version);
    }
    w.EndArray();
    w.Key("targets");
    string_map(w, view.targets);
    w.Key("package_changes");
    w.StartArray();
    for (const auto& change : branch.package_changes) {
      if (!branch.snapshot && branch.branch_off_rev > 0 && change.revision > branch.branch_off_rev) {
        continue;  // a release branch gets the changes made before it branched off
      }
      w.StartObject();
      w.Key("source");
      string(w, change.source);
      if (!change.target.empty()) {
        w.Key("target");
        string(w, change.target);
      }
      w.Key("revision");
      w.Int(change.revision);
      if (change.mandatory) {
        w.Key("mandatory");
        w.Bool(true);
      }
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }

  void publish_indexes(const std::vector<VersionRecord>& versions, const std::map<std::string, BranchView>& branches) {
    std::set<std::string> served;
    for (const auto& version : versions) {
      served.insert(version.version);
    }
    domain::catalog::VersionsFile upstream;
    if (const auto body = store_.document(".versions.json")) {
      upstream = domain::catalog::parse_versions_file(*body);
    }
    std::vector<std::string> latest;
    for (const auto* version : {&upstream.upcoming_version, &upstream.stable_version, &upstream.oldstable_version}) {
      if (!version->empty() && served.contains(*version)) {
        latest.push_back(*version);
      }
    }
    const auto write_latest = [&](Writer& w) {
      w.StartArray();
      for (const auto& version : latest) {
        string(w, version);
      }
      w.EndArray();
    };
    put("json/v1/latest.json", write_json([&](Writer& w) {
          w.StartObject();
          w.Key("latest");
          write_latest(w);
          w.EndObject();
        }));
    put("json/v1/branches.json", write_json([&](Writer& w) {
          w.StartArray();
          for (const auto& [name, view] : branches) {
            if (view.config != nullptr) {
              write_branch(w, view);
            }
          }
          w.EndArray();
        }));
    put("json/v1/overview.json", write_json([&](Writer& w) {
          w.StartObject();
          w.Key("latest");
          write_latest(w);
          w.Key("branches");
          w.StartObject();
          for (const auto& [name, view] : branches) {
            if (view.config != nullptr) {
              string(w, name);
              write_branch(w, view);
            }
          }
          w.EndObject();
          w.Key("upstream_url");
          string(w, image_url());
          w.Key("server");
          w.StartObject();
          w.Key("version");
          w.String(kVersion);
          w.Key("contact");
          string(w, build_.contact);
          w.Key("allow_defaults");
          w.Bool(build_.allow_defaults);
          w.Key("repository_allow_list");
          w.StartArray();
          for (const auto& url : build_.repository_allow_list) {
            string(w, url);
          }
          w.EndArray();
          w.Key("max_custom_rootfs_size_mb");
          w.Int(build_.max_custom_rootfs_size_mb);
          w.Key("max_defaults_length");
          w.Int(build_.max_defaults_length);
          w.EndObject();
          w.EndObject();
        }));
    put(".versions.json", write_json([&](Writer& w) {
          w.StartObject();
          for (const auto& [key, value] : {std::pair{"stable_version", &upstream.stable_version},
                                           std::pair{"oldstable_version", &upstream.oldstable_version},
                                           std::pair{"upcoming_version", &upstream.upcoming_version}}) {
            if (!value->empty() && served.contains(*value)) {
              w.Key(key);
              string(w, *value);
            }
          }
          w.Key("versions_list");
          w.StartArray();
          for (const auto& version : upstream.versions_list) {
            if (served.contains(version)) {
              string(w, version);
            }
          }
          w.EndArray();
          w.Key("image_url_override");
          string(w, image_url());
          w.EndObject();
        }));
  }

  domain::catalog::CatalogStore& store_;
  DocumentSink& sink_;
  const CatalogConfig& catalog_;
  const BuildConfig& build_;
};

}  // namespace

std::optional<PublishReport> CatalogPublisher::publish_if_stale(bool force) {
  const long generation = store_.generation();
  if (!force && sink_.published_generation() == generation) {
    return std::nullopt;
  }
  sink_.begin(generation);
  Builder builder(store_, sink_, catalog_, build_);
  builder.run();
  sink_.commit();
  return PublishReport{generation, builder.files};
}

}  // namespace fwhub::service
