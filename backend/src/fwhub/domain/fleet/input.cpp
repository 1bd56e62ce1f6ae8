// Field readers with upstream's validation messages.
#include "fwhub/domain/fleet/input.hpp"

#include <charconv>

#include "fwhub/common/utc_time.hpp"

namespace fwhub::domain::fleet {
namespace {

// Characters, not bytes: UTF-8 continuation bytes are not counted.
std::size_t characters(const std::string& text) {
  std::size_t count = 0;
  for (const char c : text) {
    count += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  }
  return count;
}

}  // namespace

const InputValue* Input::find(const std::string& name, bool required) {
  const auto it = values_.find(name);
  if (it == values_.end()) {
    if (required && !partial_) {
      errors_.add(name, "This field is required.");
    }
    return nullptr;
  }
  return &it->second;
}

std::optional<std::string> Input::text(const std::string& name, std::size_t max_length, bool required,
                                       bool allow_blank) {
  const InputValue* value = find(name, required);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->kind == InputValue::Kind::kNull || (value->kind == InputValue::Kind::kString && value->text.empty())) {
    if (!allow_blank) {
      errors_.add(name, value->kind == InputValue::Kind::kNull ? "This field may not be null."
                                                               : "This field may not be blank.");
      return std::nullopt;
    }
    return std::string();
  }
  if (value->kind != InputValue::Kind::kString) {
    errors_.add(name, "Not a valid string.");
    return std::nullopt;
  }
  if (characters(value->text) > max_length) {
    errors_.add(name, "Ensure this field has no more than " + std::to_string(max_length) + " characters.");
    return std::nullopt;
  }
  return value->text;
}

std::optional<std::optional<std::string>> Input::nullable_text(const std::string& name, std::size_t max_length) {
  const InputValue* value = find(name, false);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->kind == InputValue::Kind::kNull || (value->kind == InputValue::Kind::kString && value->text.empty())) {
    return std::optional<std::string>();
  }
  auto text_value = text(name, max_length, false);
  if (!text_value) {
    return std::nullopt;
  }
  return std::optional<std::string>(*text_value);
}

std::optional<bool> Input::boolean(const std::string& name) {
  const InputValue* value = find(name, false);
  if (value == nullptr) {
    return std::nullopt;
  }
  if (value->kind != InputValue::Kind::kBool) {
    errors_.add(name, "Must be a valid boolean.");
    return std::nullopt;
  }
  return value->text == "true";
}

std::optional<int> Input::integer(const std::string& name, int min, int max) {
  const InputValue* value = find(name, false);
  if (value == nullptr) {
    return std::nullopt;
  }
  int number = 0;
  const auto* end = value->text.data() + value->text.size();
  if (value->kind != InputValue::Kind::kNumber || std::from_chars(value->text.data(), end, number).ptr != end) {
    errors_.add(name, "A valid integer is required.");
    return std::nullopt;
  }
  if (number < min || number > max) {
    errors_.add(name, "Ensure this value is between " + std::to_string(min) + " and " + std::to_string(max) + ".");
    return std::nullopt;
  }
  return number;
}

std::optional<double> Input::number(const std::string& name, double min, double max) {
  const InputValue* value = find(name, false);
  if (value == nullptr) {
    return std::nullopt;
  }
  double number = 0;
  const auto* end = value->text.data() + value->text.size();
  if (value->kind != InputValue::Kind::kNumber || std::from_chars(value->text.data(), end, number).ptr != end) {
    errors_.add(name, "A valid number is required.");
    return std::nullopt;
  }
  if (number < min || number > max) {
    errors_.add(name, "Ensure this value is between " + std::to_string(static_cast<int>(min)) + " and " +
                          std::to_string(static_cast<int>(max)) + ".");
    return std::nullopt;
  }
  return number;
}

std::optional<std::int64_t> Input::time(const std::string& name) {
  const InputValue* value = find(name, false);
  if (value == nullptr || value->kind == InputValue::Kind::kNull) {
    return std::nullopt;
  }
  const auto epoch = value->kind == InputValue::Kind::kString ? parse_iso_utc(value->text) : std::nullopt;
  if (!epoch) {
    errors_.add(name,
                "Datetime has wrong format. Use one of these formats instead: "
                "YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].");
  }
  return epoch;
}

}  // namespace fwhub::domain::fleet
