// Operators and administrators of the build's organization may run batches; batches of shared
// builds reach every organization's devices, so only superusers start those.
#include "fwhub/service/batch_service.hpp"

#include <ctime>

#include "fwhub/common/utc_time.hpp"
#include "fwhub/domain/fleet/validation.hpp"
#include "fwhub/domain/upgrade/upgrade_options.hpp"

namespace fwhub::service {

using domain::fleet::Principal;
using domain::fleet::Table;

std::optional<std::string> BatchService::authorize(const Principal& who, const std::string& build_id) {
  auto organization = fleet_.readable(who, Table::kBuild, build_id);
  if (organization ? !domain::fleet::can_operate(who, *organization) : !who.superuser) {
    throw Error(Code::kPermissionDenied, organization ? "your role in this organization does not allow upgrades"
                                                      : "batches of shared builds are started by superusers only");
  }
  return organization;
}

domain::upgrade::BatchSelection BatchService::selection(const Principal& who, const std::string& build_id,
                                                        std::string group, std::string location) {
  const auto organization = authorize(who, build_id);
  const auto category = batches_.build_category(build_id);
  if (!category) {
    throw Error(Code::kNotFound, "not found");
  }
  return {build_id, *category, organization, std::move(group), std::move(location)};
}

domain::upgrade::DryRun BatchService::dry_run(const Principal& who, const std::string& build_id,
                                              const std::string& group, const std::string& location) {
  return batches_.dry_run(selection(who, build_id, group, location));
}

std::string BatchService::start(const Principal& who, const std::string& build_id, domain::fleet::Input input,
                                const std::string& options_text) {
  domain::upgrade::NewBatch batch;
  const auto group = input.text("group", 64, false, true).value_or("");
  const auto location = input.text("location", 128, false, true).value_or("");
  batch.upgrade_all = input.boolean("upgrade_all").value_or(false);
  batch.persistent = input.boolean("persistent").value_or(false);
  const auto scheduled_at = input.time("scheduled_at");
  const auto deadline = input.time("deadline");
  batch.max_parallel = input.integer("max_parallel", 0, 100000).value_or(0);
  batch.first_wave = input.integer("first_wave", 0, 1000000).value_or(0);
  batch.first_wave_percent = input.number("first_wave_percent", 0, 100).value_or(0);
  batch.max_failure_rate = input.number("max_failure_rate", 0, 100).value_or(0);
  const std::int64_t now = std::time(nullptr);
  if (batch.first_wave > 0 && batch.first_wave_percent > 0) {
    input.errors().add("first_wave_percent", "Give first_wave or first_wave_percent, not both.");
  }
  if (deadline && !batch.persistent) {
    input.errors().add("deadline", "A deadline applies to persistent batches only.");
  } else if (deadline && *deadline <= std::max(now, scheduled_at.value_or(now))) {
    input.errors().add("deadline", "The deadline must be after the start.");
  }
  try {
    batch.options_json = domain::upgrade::options_json(domain::upgrade::parse_upgrade_options(options_text));
  } catch (const Error& error) {
    input.errors().add("upgrade_options", error.what());
  }
  input.check();
  batch.selection = selection(who, build_id, group, location);
  if (scheduled_at) {
    batch.scheduled_at = format_utc(*scheduled_at, kSqlTimeFormat);
  }
  if (batch.persistent) {
    const std::int64_t start = std::max(now, scheduled_at.value_or(now));
    batch.deadline =
        format_utc(deadline.value_or(start + std::int64_t{config_.persistent_deadline_hours} * 3600), kSqlTimeFormat);
  }
  batch.max_attempts = config_.max_retries + 1;
  auto id = batches_.create(batch);
  if (!id) {
    throw Error(Code::kFailedPrecondition, kNoDevicesFound);
  }
  return *id;
}

void BatchService::act(const Principal& who, const std::string& batch_id, domain::upgrade::BatchAction action) {
  // Every role of the batch's organization may act on it; a batch of a shared build is the
  // superusers' alone and answers 404 to anyone else, as GET does (403 would reveal it exists).
  const auto organization = fleet_.readable(who, Table::kBatch, batch_id);
  if (organization ? !domain::fleet::can_operate(who, *organization) : !who.superuser) {
    throw Error(Code::kNotFound, "not found");
  }
  switch (batches_.act(batch_id, action)) {
    case domain::upgrade::ActionResult::kDone:
      return;
    case domain::upgrade::ActionResult::kNotFound:
      throw Error(Code::kNotFound, "not found");
    case domain::upgrade::ActionResult::kConflict:
      throw Error(Code::kFailedPrecondition, action == domain::upgrade::BatchAction::kResume
                                                 ? "the batch is not paused"
                                                 : "the batch has already ended");
  }
}

}  // namespace fwhub::service
