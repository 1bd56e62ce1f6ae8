// Status codes shared by every layer, errors as values (Status) and the one exception type (Error).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

namespace fwhub {

// After Abseil's canonical codes; the API maps each to one HTTP status, the scheduler to
// "retry the step" (kUnavailable), "retry the job later" (kAborted) or "give up" (the rest).
enum class Code {
  kOk,
  kInvalidArgument,     // malformed input: 400
  kUnprocessable,       // well-formed but rejected by a schema or rule: 422
  kUnauthenticated,     // 401
  kPermissionDenied,    // 403
  kNotFound,            // 404
  kAlreadyExists,       // 409
  kFailedPrecondition,  // state forbids it: 409 in the API, give up in jobs
  kPayloadTooLarge,     // 413
  kResourceExhausted,   // 429
  kCancelled,           // the caller stopped it
  kDeadlineExceeded,    // 504 / job timeout
  kAborted,             // lost a lease or a race: the job is released, not failed
  kUnavailable,         // transient: 503, retried with backoff in jobs
  kInternal,            // 500, details only in the log
};

std::string_view code_name(Code code);

class Status {
 public:
  Status() = default;
  Status(Code code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  [[nodiscard]] bool is_ok() const { return code_ == Code::kOk; }
  [[nodiscard]] Code code() const { return code_; }
  [[nodiscard]] const std::string& message() const { return message_; }
  [[nodiscard]] std::string to_string() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
};

// Thrown where failure is exceptional for the caller (request handlers, configuration);
// caught in exactly one place per program.
class Error : public std::runtime_error {
 public:
  Error(Code code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] Code code() const { return code_; }
  [[nodiscard]] Status status() const { return {code_, what()}; }

 private:
  Code code_;
};

}  // namespace fwhub
