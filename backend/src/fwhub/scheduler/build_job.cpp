// A build: ImageBuilder from the upstream (signed sha256sums, checked archive, cached unpacked),
// a private working copy, `make info`, `make manifest`, `make image` in a sandbox with a hard
// deadline, then the images moved into the store in one rename and the result recorded.
#include "fwhub/scheduler/build_job.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "fwhub/common/file_text.hpp"
#include "fwhub/common/random.hpp"
#include "fwhub/common/sha256.hpp"
#include "fwhub/common/usign.hpp"
#include "fwhub/common/utc_time.hpp"
#include "fwhub/db/build_repository.hpp"
#include "fwhub/db/catalog_repository.hpp"
#include "fwhub/db/fleet_repository.hpp"
#include "fwhub/domain/build/imagebuilder.hpp"
#include "fwhub/domain/catalog/branches.hpp"
#include "fwhub/domain/catalog/upstream_documents.hpp"
#include "fwhub/sys/http_upstream.hpp"
#include "fwhub/sys/process.hpp"

namespace fwhub::scheduler {
namespace {

namespace fs = std::filesystem;
using domain::build::BuildRequest;

// Ends a build as failed with ASU's detail text and the failing step's output.
struct BuildFailure {
  std::string detail;
  std::string out;
  std::string err;
};

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) {
    throw Error(Code::kUnavailable, "cannot write " + path.string());
  }
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    out += out.empty() ? word : " " + word;
  }
  return out;
}

// One builder per version/target is unpacked at a time in this process.
std::mutex& builder_lock(const std::string& key) {
  static std::mutex guard;
  static std::map<std::string, std::mutex> locks;
  const std::lock_guard lock(guard);
  return locks[key];
}

// Working copies of a request's earlier attempts, left by schedulers killed while they built (one
// build job runs per request hash, so none of them is in use).
void remove_working_copies(const Config& config, const std::string& hash) {
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(fs::path(config.paths.state_dir) / "work", error)) {
    if (entry.path().filename().string().starts_with(hash + ".")) {
      fs::remove_all(entry.path(), error);
    }
  }
}

// A folder removed with everything in it when the scope ends, however it ends.
struct RemovedOnExit {
  fs::path path;
  explicit RemovedOnExit(fs::path folder) : path(std::move(folder)) {}
  RemovedOnExit(const RemovedOnExit&) = delete;
  RemovedOnExit& operator=(const RemovedOnExit&) = delete;
  RemovedOnExit(RemovedOnExit&&) = delete;
  RemovedOnExit& operator=(RemovedOnExit&&) = delete;
  ~RemovedOnExit() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

class BuildRun {
 public:
  BuildRun(const Config& config, JobContext& context) : config_(config), context_(context) {}

  Status run() {
    hash_ = context_.payload_string("request_hash");
    remove_working_copies(config_, hash_);
    db::Connection connection(config_.database);
    db::BuildRepository builds(connection);
    const auto record = builds.find(hash_);
    if (!record || record->status == domain::build::BuildStatus::kDone ||
        record->status == domain::build::BuildStatus::kFailed) {
      return Status::ok();  // expired, or finished by an earlier attempt
    }
    auto parsed = domain::build::parse_build_request(record->request_json, {});
    if (!parsed.request) {
      builds.finish_failed(hash_, "Error: the stored request does not parse", "", "", 0,
                           std::chrono::seconds(config_.build.failure_ttl_seconds));
      return Status::ok();
    }
    request_ = *parsed.request;
    db::CatalogRepository catalog(connection);
    for (const auto& target : catalog.targets(request_.version)) {
      if (target.target == request_.target) {
        arch_ = target.arch;
      }
    }
    const domain::build::NewBuild stats{hash_, "", record->version, record->target, record->profile, record->client};
    started_ = std::chrono::steady_clock::now();
    deadline_ = started_ + std::chrono::seconds(config_.build.job_timeout_seconds);
    work_ = fs::path(config_.paths.state_dir) / "work" / (hash_ + "." + random_hex(4));
    try {
      const std::string result = build(builds);
      builds.finish_done(hash_, result, seconds(), ttl());
      builds.count(domain::build::BuildEvent::kSuccess, stats, seconds());
      spdlog::info("build {} ({} {} {}) done in {:.1f} s", hash_, request_.version, request_.target, request_.profile,
                   seconds());
    } catch (const BuildFailure& failure) {
      fail(builds, stats, failure);
    } catch (const Error& error) {
      const domain::Job& job = context_.job();
      if (error.code() == Code::kUnavailable && job.attempts < job.max_attempts) {
        cleanup();
        return error.status();  // retried with backoff, from the start
      }
      fail(builds, stats, {"Error: " + std::string(error.what()), "", ""});
    } catch (const std::exception& error) {  // the file system (a full disk), the process layer
      fail(builds, stats, {"Error: " + std::string(error.what()), "", ""});
    }
    cleanup();
    // Fleet builds made from the catalog wait for this image (or its failure).
    db::FleetRepository(connection).enqueue_attach(hash_);
    return Status::ok();
  }

 private:
  void fail(db::BuildRepository& builds, const domain::build::NewBuild& stats, const BuildFailure& failure) {
    builds.finish_failed(hash_, failure.detail, failure.out, failure.err, seconds(),
                         std::chrono::seconds(config_.build.failure_ttl_seconds));
    builds.count(domain::build::BuildEvent::kFailure, stats, seconds());
    const std::string cause = domain::build::last_output_line(failure.err);
    spdlog::warn("build {} failed: {}{}", hash_, failure.detail, cause.empty() ? "" : " (stderr: " + cause + ")");
  }

  [[nodiscard]] double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

  [[nodiscard]] std::chrono::seconds ttl() const {
    if (!request_.packages_versions.empty()) {
      return std::chrono::seconds(config_.build.ttl_packages_versions_seconds);
    }
    if (request_.defaults && !request_.defaults->empty()) {
      return std::chrono::seconds(config_.build.ttl_defaults_seconds);
    }
    return std::chrono::seconds(config_.build.ttl_seconds);
  }

  void cleanup() const {
    std::error_code ignored;
    fs::remove_all(work_, ignored);
  }

  // Runs a command with what is left of the build's time; a timeout fails the build.
  sys::ProcessResult run(const std::vector<std::string>& argv, const fs::path& cwd, bool sandbox) const {
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline_ - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      throw BuildFailure{"Error: build timed out after " + std::to_string(config_.build.job_timeout_seconds) + " s", "",
                         ""};
    }
    sys::ProcessOptions options;
    options.argv = sandbox && config_.build.sandbox ? sys::sandboxed(argv, {work_.string()}, cwd.string()) : argv;
    options.cwd = cwd.string();
    options.timeout = left;
    auto result = sys::run_process(options);
    if (result.timed_out) {
      throw BuildFailure{"Error: build timed out after " + std::to_string(config_.build.job_timeout_seconds) + " s",
                         result.out, result.err};
    }
    return result;
  }

  // The unpacked ImageBuilder of the request's version and target, downloaded when upstream's
  // sha256sums names another archive than the cached one.
  fs::path ensure_builder() {
    const auto& branches = config_.catalog.branches;
    const std::string base =
        domain::catalog::version_path(request_.version, branches) + "/targets/" + request_.target + "/";
    sys::HttpUpstream upstream(config_.catalog.upstream_url, config_.catalog.http_timeout_seconds);
    const auto sums = upstream.fetch(base + "sha256sums", {});
    if (sums.status != 200) {
      throw Error(Code::kUnavailable, upstream.url(base + "sha256sums") + ": not found");
    }
    const BranchConfig* branch = domain::catalog::find_branch(request_.version, branches);
    if (branch != nullptr && !branch->signing_key.empty()) {
      const auto signature = upstream.fetch(base + "sha256sums.sig", {});
      const Status verified = signature.status == 200
                                  ? usign_verify(parse_usign_public_key(branch->signing_key), signature.body, sums.body)
                                  : Status(Code::kPermissionDenied, "signature missing");
      if (!verified.is_ok()) {
        throw BuildFailure{
            "Error: ImageBuilder refused: " + upstream.url(base + "sha256sums.sig") + ": " + verified.message(), "",
            ""};
      }
    }
    std::string archive;
    std::string archive_sum;
    for (const auto& [name, sum] : domain::catalog::parse_sha256sums(sums.body)) {
      if (name.starts_with("openwrt-imagebuilder-") &&
          (name.ends_with(".Linux-x86_64.tar.xz") || name.ends_with(".Linux-x86_64.tar.zst"))) {
        archive = name;
        archive_sum = sum;
      }
    }
    if (archive.empty()) {
      throw BuildFailure{"Error: no ImageBuilder listed in " + upstream.url(base + "sha256sums"), "", ""};
    }
    std::string key = request_.version + "-" + request_.target;
    std::replace(key.begin(), key.end(), '/', '-');
    const fs::path cache = fs::path(config_.paths.state_dir) / "builders" / key;
    const std::lock_guard lock(builder_lock(key));
    if (read_file(cache / ".fwhub-sha256") == archive_sum) {
      fs::last_write_time(cache / ".fwhub-sha256", fs::file_time_type::clock::now());  // recently used
      return cache / "builder";
    }
    context_.record_step("download_imagebuilder", "{}");
    const auto download = upstream.fetch(base + archive, {});
    if (download.status != 200) {
      throw Error(Code::kUnavailable, upstream.url(base + archive) + ": not found");
    }
    if (sha256_hex(download.body) != archive_sum) {
      throw BuildFailure{"Error: ImageBuilder refused: " + upstream.url(base + archive) +
                             ": sha256 differs from the signed sha256sums",
                         "", ""};
    }
    const fs::path staging = fs::path(config_.paths.state_dir) / "builders" / (key + ".new." + random_hex(4));
    const RemovedOnExit staged{staging};  // also when unpacking fails on a full disk
    fs::create_directories(staging / "unpack");
    write_file(staging / archive, download.body);
    sys::ProcessOptions untar;
    untar.argv = {"tar", "-xf", (staging / archive).string(), "-C", (staging / "unpack").string()};
    untar.timeout = std::chrono::seconds(600);
    const auto unpacked = sys::run_process(untar);
    fs::path top;
    for (const auto& entry : fs::directory_iterator(staging / "unpack")) {
      top = entry.path();
    }
    if (unpacked.exit_code != 0 || top.empty()) {
      throw BuildFailure{"Error: cannot unpack " + archive, unpacked.out, unpacked.err};
    }
    fs::remove_all(cache);
    fs::create_directories(cache);
    fs::rename(top, cache / "builder");
    write_file(cache / ".fwhub-sha256", archive_sum);
    evict_builders(key);
    return cache / "builder";
  }

  // Keeps the unpacked builders under build.builder_cache_mb: the least recently used go first,
  // never the one just unpacked. A builder in use by a build stays intact: builds work on copies.
  void evict_builders(const std::string& keep) const {
    struct Entry {
      fs::path path;
      fs::file_time_type used;
      std::uintmax_t bytes = 0;
    };
    std::vector<Entry> entries;
    std::uintmax_t total = 0;
    std::error_code error;
    for (const auto& dir : fs::directory_iterator(fs::path(config_.paths.state_dir) / "builders", error)) {
      if (!dir.is_directory() || !fs::exists(dir.path() / ".fwhub-sha256")) {
        continue;
      }
      Entry entry{dir.path(), fs::last_write_time(dir.path() / ".fwhub-sha256"), 0};
      for (const auto& file : fs::recursive_directory_iterator(dir.path(), error)) {
        if (file.is_regular_file(error)) {
          entry.bytes += file.file_size(error);
        }
      }
      total += entry.bytes;
      entries.push_back(std::move(entry));
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) { return a.used < b.used; });
    const auto limit = static_cast<std::uintmax_t>(config_.build.builder_cache_mb) * 1024 * 1024;
    for (const auto& entry : entries) {
      if (total <= limit) {
        break;
      }
      if (entry.path.filename() == keep) {
        continue;  // its lock is held by this thread
      }
      // A builder being refreshed by another build is skipped (try_lock: no lock-order cycle).
      const std::unique_lock lock(builder_lock(entry.path.filename().string()), std::try_to_lock);
      if (lock.owns_lock()) {
        fs::remove_all(entry.path, error);
        total -= entry.bytes;
        spdlog::info("builder cache: removed {} ({} bytes)", entry.path.filename().string(), entry.bytes);
      }
    }
  }

  void write_repositories(const fs::path& builder, const std::string& arch) const {
    std::string conf = "# written by fwhub for this build\n";
    const bool replace_feeds = !request_.repositories.empty() && request_.repositories_mode == "replace";
    if (!replace_feeds) {
      const std::string release = config_.catalog.upstream_url + "/" +
                                  domain::catalog::version_path(request_.version, config_.catalog.branches);
      conf += "src/gz openwrt_core " + release + "/targets/" + request_.target + "/packages\n";
      for (const auto& feed : config_.catalog.feeds) {
        conf += "src/gz openwrt_" + feed + " " + release + "/packages/" + arch + "/" + feed + "\n";
      }
    }
    for (const auto& [name, url] : request_.repositories) {
      conf += "src/gz " + name + " " + url + "\n";
    }
    write_file(builder / "repositories.conf", conf);
    int index = 0;
    conf += "src imagebuilder file:packages\n";  // the ImageBuilder's own packages
    for (const auto& key : request_.repository_keys) {
      write_file(builder / "keys" / ("fwhub-" + std::to_string(index++)), key + "\n");
    }
  }

  std::string build(db::BuildRepository& builds) {
    builds.set_step(hash_, "download_imagebuilder");
    const fs::path cached = ensure_builder();
    builds.set_step(hash_, "unpack_imagebuilder");
    const fs::path builder = work_ / "builder";
    fs::create_directories(work_);
    const auto copied = run({"cp", "-a", cached.string(), builder.string()}, work_, false);
    if (copied.exit_code != 0) {
      throw Error(Code::kUnavailable, "cannot copy the ImageBuilder: " + copied.err);
    }

    builds.set_step(hash_, "validate_revision");
    const auto info_run = run({"make", "info"}, builder, true);
    if (info_run.exit_code != 0) {
      throw BuildFailure{domain::build::image_error(info_run.out, info_run.err), info_run.out, info_run.err};
    }
    const auto info = domain::build::parse_make_info(info_run.out);
    if (!request_.version_code.empty() && info.revision != request_.version_code) {
      throw BuildFailure{
          "Error: Received incorrect version " + info.revision + " (requested " + request_.version_code + ")",
          info_run.out, info_run.err};
    }
    write_repositories(builder, arch_);

    builds.set_step(hash_, "validate_manifest");
    const BranchConfig* branch = domain::catalog::find_branch(request_.version, config_.catalog.branches);
    const auto packages = domain::build::package_arguments(
        request_, info, request_.profile, branch == nullptr ? std::vector<PackageChange>{} : branch->package_changes);
    const std::string packages_arg = "PACKAGES=" + join(packages);
    const auto manifest_run =
        run({"make", "manifest", "PROFILE=" + request_.profile, packages_arg, "STRIP_ABI=1"}, builder, true);
    if (manifest_run.exit_code != 0) {
      throw BuildFailure{domain::build::manifest_error(manifest_run.out, manifest_run.err), manifest_run.out,
                         manifest_run.err};
    }
    const auto manifest = domain::build::parse_manifest(manifest_run.out);
    if (const auto mismatch = domain::build::check_versions(request_.packages_versions, manifest); !mismatch.empty()) {
      throw BuildFailure{mismatch, manifest_run.out, manifest_run.err};
    }

    builds.set_step(hash_, "building_image");
    const fs::path out = work_ / "out";
    std::vector<std::string> command = {"make",
                                        "image",
                                        "PROFILE=" + request_.profile,
                                        packages_arg,
                                        "EXTRA_IMAGE_NAME=" + domain::build::extra_image_name(packages),
                                        "BIN_DIR=" + out.string()};
    if (request_.defaults && !request_.defaults->empty()) {
      write_file(work_ / "files" / "etc" / "uci-defaults" / "99-asu-defaults", *request_.defaults);
      command.push_back("FILES=" + (work_ / "files").string());
    }
    if (request_.rootfs_size_mb) {
      command.push_back("ROOTFS_PARTSIZE=" + std::to_string(*request_.rootfs_size_mb));
    }
    if (request_.filesystem) {
      command.push_back("ROOTFS_FILESYSTEM=" + *request_.filesystem);
    }
    const auto image_run = run(command, builder, true);
    if (image_run.exit_code != 0) {
      throw BuildFailure{domain::build::image_error(image_run.out, image_run.err), image_run.out, image_run.err};
    }
    std::string result;
    try {
      result = domain::build::build_result(read_file(out / "profiles.json"), request_.profile, manifest, hash_, command,
                                           domain::build::request_json(request_, request_.profile),
                                           format_utc_now(kIsoFormat));
    } catch (const Error& error) {
      throw BuildFailure{error.what(), image_run.out, image_run.err};
    }
    publish(out);
    return result;
  }

  // Moves the build's files into store/<hash> with one rename: never half a build in the store.
  void publish(const fs::path& out) const {
    const fs::path store = fs::path(config_.paths.state_dir) / "store";
    fs::create_directories(store);
    const fs::path staging = work_ / "store";
    fs::create_directories(staging);
    for (const auto& entry : fs::directory_iterator(out)) {
      if (entry.is_regular_file()) {
        fs::rename(entry.path(), staging / entry.path().filename());
      }
    }
    fs::permissions(staging, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                 fs::perms::others_read | fs::perms::others_exec);
    std::error_code ignored;
    fs::remove_all(store / hash_, ignored);
    fs::rename(staging, store / hash_);
  }

  const Config& config_;
  JobContext& context_;
  std::string hash_;
  BuildRequest request_;
  std::string arch_ = "all";  // package architecture of the target (from the catalog)
  fs::path work_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point deadline_;
};

}  // namespace

JobKind make_build_job(const Config& config) {
  JobKind kind;
  kind.name = "build";
  kind.max_attempts = 3;
  kind.max_parallel = config.build.max_parallel;
  kind.backoff = {std::chrono::seconds(10), std::chrono::minutes(5), 2.0, 0.25};
  kind.run = [&config](JobContext& context) { return BuildRun(config, context).run(); };
  // Its last attempt failed outside the build (the database was down) or its schedulers died during
  // every attempt: the request fails (clients stop polling) and may be sent again once
  // build.failure_ttl_seconds passed. A build that already ended keeps its result.
  kind.gave_up = [&config](const domain::Job& job, const std::string& reason) {
    const std::string hash = payload_string(job, "request_hash");
    db::Connection connection(config.database);
    db::BuildRepository(connection)
        .finish_failed(hash, "Error: the build could not finish: " + reason, "", "", 0,
                       std::chrono::seconds(config.build.failure_ttl_seconds));
    db::FleetRepository(connection).enqueue_attach(hash);
    remove_working_copies(config, hash);
  };
  return kind;
}

JobKind make_build_cleanup_job(const Config& config) {
  JobKind kind;
  kind.name = "build_cleanup";
  kind.period = std::chrono::seconds(300);
  kind.max_attempts = 3;
  kind.run = [&config](JobContext& /*context*/) {
    db::Connection connection(config.database);
    db::BuildRepository builds(connection);
    const fs::path state(config.paths.state_dir);
    int removed = 0;
    for (;;) {
      const auto expired = builds.delete_expired(500);
      for (const auto& hash : expired) {
        std::error_code ignored;
        fs::remove_all(state / "store" / hash, ignored);
      }
      removed += static_cast<int>(expired.size());
      if (expired.size() < 500) {
        break;
      }
    }
    // Working copies and half-unpacked builders of schedulers that died: older than any build may run.
    int stale = 0;
    const auto limit = fs::file_time_type::clock::now() - std::chrono::seconds(config.build.job_timeout_seconds * 2);
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(state / "work", error)) {
      if (entry.last_write_time() < limit) {
        fs::remove_all(entry.path(), error);
        ++stale;
      }
    }
    for (const auto& entry : fs::directory_iterator(state / "builders", error)) {
      if (entry.path().filename().string().find(".new.") != std::string::npos && entry.last_write_time() < limit) {
        fs::remove_all(entry.path(), error);
        ++stale;
      }
    }
    spdlog::info("build cleanup: {} expired builds and {} stale working copies removed", removed, stale);
    return Status::ok();
  };
  return kind;
}

}  // namespace fwhub::scheduler
