// A request body's fields as the fleet use cases read them, with the checks and messages of the
// spec; every problem lands in one FieldErrors, answered together.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "fwhub/domain/fleet/validation.hpp"

namespace fwhub::domain::fleet {

struct InputValue {
  enum class Kind { kNull, kString, kBool, kNumber, kOther };
  Kind kind = Kind::kNull;
  std::string text;  // the string, "true"/"false", or the number as written
};

class Input {
 public:
  // partial: a PATCH, where absent required fields are not an error.
  Input(std::map<std::string, InputValue> values, bool partial) : values_(std::move(values)), partial_(partial) {}

  [[nodiscard]] bool has(const std::string& name) const { return values_.contains(name); }
  [[nodiscard]] bool partial() const { return partial_; }

  // A string of at most max_length characters. Absent: nullopt (an error when required and not
  // partial). null or "" : "" when allow_blank, else an error.
  std::optional<std::string> text(const std::string& name, std::size_t max_length, bool required,
                                  bool allow_blank = false);
  // null → nullopt inside (clears the column); absent → nullopt outside.
  std::optional<std::optional<std::string>> nullable_text(const std::string& name, std::size_t max_length);
  std::optional<bool> boolean(const std::string& name);
  std::optional<int> integer(const std::string& name, int min, int max);
  std::optional<double> number(const std::string& name, double min, double max);
  // An ISO 8601 time (see parse_iso_utc) as seconds since the epoch; null → nullopt.
  std::optional<std::int64_t> time(const std::string& name);

  FieldErrors& errors() { return errors_; }
  void check() const { errors_.throw_if_any(); }

 private:
  const InputValue* find(const std::string& name, bool required);

  std::map<std::string, InputValue> values_;
  bool partial_;
  FieldErrors errors_;
};

}  // namespace fwhub::domain::fleet
