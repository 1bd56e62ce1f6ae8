// Job kind table, and the job context's payload and durable steps.
#include "fwhub/scheduler/job_kind_registry.hpp"

#include <rapidjson/document.h>

#include "fwhub/common/json_text.hpp"

namespace fwhub::scheduler {

std::string payload_string(const domain::Job& job, const char* key) {
  rapidjson::Document payload;
  if (!parse_json(payload, job.payload).empty() || !payload.IsObject() || !payload.HasMember(key) ||
      !payload[key].IsString()) {
    throw Error(Code::kInvalidArgument, job.kind + " job without " + key);
  }
  return {payload[key].GetString(), payload[key].GetStringLength()};
}

std::string JobContext::payload_string(const char* key) const {
  return scheduler::payload_string(job_, key);
}

Status JobContext::record_step(const std::string& step, const std::string& step_data) {
  if (!store_.record_step(job_.id, owner_, step, step_data)) {
    return {Code::kAborted, "lease lost while recording step " + step};
  }
  job_.step = step;
  job_.step_data = step_data;
  return Status::ok();
}

JobKindRegistry& JobKindRegistry::add(JobKind kind) {
  if (find(kind.name) != nullptr) {
    throw Error(Code::kAlreadyExists, "job kind registered twice: " + kind.name);
  }
  kinds_.push_back(std::move(kind));
  return *this;
}

const JobKind* JobKindRegistry::find(const std::string& name) const {
  for (const auto& kind : kinds_) {
    if (kind.name == name) {
      return &kind;
    }
  }
  return nullptr;
}

std::vector<std::string> JobKindRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& kind : kinds_) {
    out.push_back(kind.name);
  }
  return out;
}

std::string periodic_key(const std::string& kind) {
  return "periodic:" + kind;
}

}  // namespace fwhub::scheduler
