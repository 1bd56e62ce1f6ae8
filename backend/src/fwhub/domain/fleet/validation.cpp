// Field error collection and the validation exception.
#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::domain::fleet {
namespace {

std::string summary(const FieldErrors& errors) {
  std::string text;
  for (const auto& [field, messages] : errors.all()) {
    for (const auto& message : messages) {
      text += (text.empty() ? "" : "; ") + field + ": " + message;
    }
  }
  return text;
}

FieldErrors single(const std::string& field, std::string message) {
  FieldErrors errors;
  errors.add(field, std::move(message));
  return errors;
}

}  // namespace

void FieldErrors::throw_if_any() const {
  if (!empty()) {
    throw ValidationError(*this);
  }
}

ValidationError::ValidationError(FieldErrors errors)
    : Error(Code::kInvalidArgument, summary(errors)), errors_(std::move(errors)) {}

ValidationError::ValidationError(const std::string& field, std::string message)
    : ValidationError(single(field, std::move(message))) {}

}  // namespace fwhub::domain::fleet
