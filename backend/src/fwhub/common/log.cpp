// spdlog configuration for all fwhub programs, with the thread's log fields as custom flags.
#include "fwhub/common/log.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>

namespace fwhub {
namespace {

thread_local LogFields t_fields;

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

// %q: " key=value" per field (text lines).
class TextFields final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& /*msg*/, const std::tm& /*time*/, spdlog::memory_buf_t& dest) override {
    for (const auto& [key, value] : t_fields) {
      append(dest, " ");
      append(dest, key);
      append(dest, "=");
      append(dest, value);
    }
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<TextFields>(); }
};

// %Q: ,"key":"value" per field (JSON lines).
class JsonFields final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& /*msg*/, const std::tm& /*time*/, spdlog::memory_buf_t& dest) override {
    for (const auto& [key, value] : t_fields) {
      append(dest, ",");
      append(dest, json_quoted(key));
      append(dest, ":");
      append(dest, json_quoted(value));
    }
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonFields>(); }
};

// %j: the message as a JSON string.
class JsonMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm& /*time*/, spdlog::memory_buf_t& dest) override {
    append(dest, json_quoted(std::string_view(msg.payload.data(), msg.payload.size())));
  }
  [[nodiscard]] std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonMessage>();
  }
};

}  // namespace

void init_logging(const LogConfig& config, const std::string& program) {
  auto logger = spdlog::stderr_logger_mt(program);
  const bool json = config.format == "json";
  auto formatter = std::make_unique<spdlog::pattern_formatter>(json ? spdlog::pattern_time_type::utc
                                                                    : spdlog::pattern_time_type::local);
  formatter->add_flag<TextFields>('q').add_flag<JsonFields>('Q').add_flag<JsonMessage>('j');
  formatter->set_pattern(json
                             ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","program":"%n","pid":%P,"level":"%l"%Q,"message":%j})"
                             : "%Y-%m-%d %H:%M:%S.%e %n[%P] %l%q %v");
  logger->set_formatter(std::move(formatter));
  logger->set_level(spdlog::level::from_str(config.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

LogScope::LogScope(const LogFields& fields) : count_(fields.size()) {
  t_fields.insert(t_fields.end(), fields.begin(), fields.end());
}

LogScope::LogScope(std::string key, std::string value) : count_(1) {
  t_fields.emplace_back(std::move(key), std::move(value));
}

LogScope::~LogScope() {
  t_fields.resize(t_fields.size() - count_);
}

std::string json_quoted(std::string_view text) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
  return {buffer.GetString(), buffer.GetSize()};
}

}  // namespace fwhub
