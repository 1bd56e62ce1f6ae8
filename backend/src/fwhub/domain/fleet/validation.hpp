// Validation errors keyed by field, answered as 400 {"errors": {"field": ["message", …]}}.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fwhub/common/status.hpp"

namespace fwhub::domain::fleet {

class FieldErrors {
 public:
  void add(const std::string& field, std::string message) { errors_[field].push_back(std::move(message)); }
  [[nodiscard]] bool empty() const { return errors_.empty(); }
  [[nodiscard]] const std::map<std::string, std::vector<std::string>>& all() const { return errors_; }
  // Throws ValidationError when any error was added.
  void throw_if_any() const;

 private:
  std::map<std::string, std::vector<std::string>> errors_;
};

class ValidationError : public Error {
 public:
  explicit ValidationError(FieldErrors errors);
  // One field, one message.
  ValidationError(const std::string& field, std::string message);
  [[nodiscard]] const FieldErrors& errors() const { return errors_; }

 private:
  FieldErrors errors_;
};

}  // namespace fwhub::domain::fleet
