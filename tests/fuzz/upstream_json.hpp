// JSON writing for the upstream-document fuzz targets: each serialises what a parser returned so
// that the text can be parsed again and compared.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <vector>

namespace fwhub::fuzz {

class JsonText {
 public:
  JsonText() : writer_(buffer_) {}

  JsonText& key(const std::string& name) {
    writer_.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    return *this;
  }
  JsonText& string(const std::string& text) {
    writer_.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return *this;
  }
  JsonText& strings(const std::vector<std::string>& list) {
    writer_.StartArray();
    for (const auto& text : list) {
      string(text);
    }
    writer_.EndArray();
    return *this;
  }
  // A value that is already JSON text.
  JsonText& raw(const std::string& json) {
    writer_.RawValue(json.data(), json.size(), rapidjson::kArrayType);
    return *this;
  }
  JsonText& start_object() {
    writer_.StartObject();
    return *this;
  }
  JsonText& end_object() {
    writer_.EndObject();
    return *this;
  }
  [[nodiscard]] std::string text() const { return {buffer_.GetString(), buffer_.GetSize()}; }

 private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

}  // namespace fwhub::fuzz
