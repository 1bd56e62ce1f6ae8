// Build submission checks and deduplication.
#include "fwhub/service/build_service.hpp"

#include <algorithm>

#include "fwhub/common/status.hpp"
#include "fwhub/domain/catalog/branches.hpp"

namespace fwhub::service {
namespace {

struct UrlParts {
  std::string scheme;
  std::string authority;  // host[:port], no user info allowed
  std::string path;
};

std::optional<UrlParts> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return std::nullopt;
  }
  UrlParts parts;
  parts.scheme = url.substr(0, scheme_end);
  const auto path_start = url.find('/', scheme_end + 3);
  parts.authority =
      url.substr(scheme_end + 3, path_start == std::string::npos ? std::string::npos : path_start - scheme_end - 3);
  parts.path = path_start == std::string::npos ? "/" : url.substr(path_start);
  if (parts.authority.empty() || parts.authority.find('@') != std::string::npos ||
      parts.path.find("/../") != std::string::npos || parts.path.ends_with("/..")) {
    return std::nullopt;
  }
  return parts;
}

}  // namespace

bool repository_allowed(const std::string& url, const std::vector<std::string>& allow_list) {
  const auto candidate = split_url(url);
  if (!candidate) {
    return false;
  }
  return std::any_of(allow_list.begin(), allow_list.end(), [&](const std::string& entry) {
    const auto allowed = split_url(entry);
    if (!allowed || allowed->scheme != candidate->scheme || allowed->authority != candidate->authority) {
      return false;
    }
    std::string prefix = allowed->path;
    if (!prefix.ends_with('/')) {
      prefix += '/';
    }
    return candidate->path == allowed->path || candidate->path.starts_with(prefix);
  });
}

void BuildService::check_repositories(const domain::build::BuildRequest& request) const {
  for (const auto& [name, url] : request.repositories) {
    if (!repository_allowed(url, config_.build.repository_allow_list)) {
      throw Error(Code::kInvalidArgument, "Repository not allowed: " + url);
    }
  }
}

std::string BuildService::map_profile(const domain::build::BuildRequest& request) {
  if (auto profile = catalog_.find_profile(request.version, request.target, request.profile)) {
    return *profile;
  }
  if (catalog_.only_generic_profile(request.version, request.target)) {
    return "generic";
  }
  throw Error(Code::kInvalidArgument, "Unsupported profile: " + request.profile +
                                          ". The requested profile was either dropped or never existed. Please "
                                          "check the forums for more information.");
}

domain::build::BuildRecord BuildService::submit(const domain::build::BuildRequest& request) {
  if (request.defaults && !request.defaults->empty() && !config_.build.allow_defaults) {
    throw Error(Code::kInvalidArgument, "Handling `defaults` not enabled on server");
  }
  check_repositories(request);
  if (request.distro != "openwrt") {
    throw Error(Code::kInvalidArgument, "Unsupported distro: " + request.distro);
  }
  if (domain::catalog::find_branch(request.version, config_.catalog.branches) == nullptr) {
    throw Error(Code::kInvalidArgument, "Unsupported branch: " + request.version);
  }
  // The request exactly as it arrived (profile not yet mapped): a finished build of it is
  // answered from the process's cache, without catalog checks or database reads.
  const std::string arrival_key = domain::build::request_hash(request, request.profile);
  if (done_cache_ != nullptr) {
    if (auto done = done_cache_->find(arrival_key)) {
      const domain::build::NewBuild counted{
          done->request_hash, "", done->version, done->target, done->profile, request.client.value_or("unknown/0")};
      builds_.count(domain::build::BuildEvent::kRequest, counted, 0);
      builds_.count(domain::build::BuildEvent::kCacheHit, counted, 0);
      return *done;
    }
  }
  if (!catalog_.has_version(request.version)) {
    catalog_.request_refresh();
    throw Error(Code::kInvalidArgument, "Unsupported version: " + request.version);
  }
  if (!catalog_.version_code(request.version, request.target)) {
    throw Error(Code::kInvalidArgument,
                "Unsupported target: " + request.target +
                    ". The requested target was either dropped, is still being built or is not supported by the "
                    "selected version. Please check the forums or try again later.");
  }
  const std::string profile = map_profile(request);

  std::vector<std::string> wanted;
  for (const auto& name : domain::build::requested_packages(request)) {
    if (!name.starts_with('-')) {
      wanted.push_back(name);
    }
  }
  const auto known = catalog_.known_packages(request.version, request.target, wanted);
  std::vector<std::string> unknown;
  std::copy_if(wanted.begin(), wanted.end(), std::back_inserter(unknown),
               [&](const std::string& name) { return !known.contains(name); });
  if (!unknown.empty()) {
    std::string list;
    for (const auto& name : unknown) {
      list += list.empty() ? name : ", " + name;
    }
    throw Error(Code::kUnprocessable, "Unsupported package(s): " + list);
  }

  domain::build::NewBuild build;
  build.request_hash = domain::build::request_hash(request, profile);
  build.request_json = domain::build::request_json(request, profile);
  build.version = request.version;
  build.target = request.target;
  build.profile = profile;
  build.client = request.client.value_or("unknown/0");
  builds_.count(domain::build::BuildEvent::kRequest, build, 0);
  if (auto existing = builds_.find(build.request_hash)) {
    builds_.count(domain::build::BuildEvent::kCacheHit, build, 0);
    if (done_cache_ != nullptr) {
      done_cache_->store(arrival_key, *existing);
    }
    return *existing;
  }
  const int pending = builds_.pending();
  if (pending >= config_.build.max_pending_jobs) {
    throw Error(Code::kResourceExhausted,
                "server overload, queue contains too many build requests: " + std::to_string(pending));
  }
  if (builds_.create(build)) {
    builds_.count(domain::build::BuildEvent::kCacheMiss, build, 0);
    builds_.count_packages(domain::catalog::find_branch(request.version, config_.catalog.branches)->name, wanted);
  }
  auto created = builds_.find(build.request_hash);
  if (!created) {
    throw Error(Code::kUnavailable, "build vanished while it was created; try again");
  }
  return *created;
}

}  // namespace fwhub::service
