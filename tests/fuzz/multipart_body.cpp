// Fuzzes multipart/form-data uploads: the first input line is the Content-Type, the next byte a
// chunk size, the rest the body. The body fed whole and fed in chunks of that size must be
// accepted or refused alike, and when accepted give the same parts with the same bytes; parts
// never exceed the limits.
#include <string>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/api/multipart_parser.hpp"
#include "fwhub/common/status.hpp"

namespace {

// Writes every event into one text, so that two runs compare with ==.
class RecordingSink final : public fwhub::api::MultipartSink {
 public:
  std::string events;
  std::size_t parts = 0;

  void begin_part(const fwhub::api::PartHeaders& headers) override {
    FUZZ_CHECK(!headers.name.empty());
    ++parts;
    events += "[begin " + headers.name + "|" + headers.filename.value_or("(none)") + "|" + headers.content_type + "]";
  }
  void data(std::string_view bytes) override { events += bytes; }
  void end_part() override { events += "[end]"; }
};

// The events of one parse, or nullopt when the body was refused.
std::optional<std::string> parse(const std::string& boundary, std::string_view body, std::size_t chunk,
                                 const fwhub::api::MultipartLimits& limits) {
  RecordingSink sink;
  try {
    fwhub::api::MultipartParser parser(boundary, sink, limits);
    for (std::size_t at = 0; at < body.size(); at += chunk) {
      parser.feed(body.substr(at, chunk));
    }
    parser.finish();
  } catch (const fwhub::Error& error) {
    FUZZ_CHECK(error.code() == fwhub::Code::kInvalidArgument);
    FUZZ_CHECK(sink.parts <= limits.max_parts);
    return std::nullopt;
  }
  FUZZ_CHECK(sink.parts <= limits.max_parts);
  return sink.events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in = fwhub::fuzz::as_text(data, size);
  const auto eol = in.find('\n');
  if (eol == std::string_view::npos || eol + 1 >= in.size()) {
    return 0;
  }
  const auto boundary = fwhub::api::multipart_boundary(in.substr(0, eol));
  const std::size_t chunk = 1 + static_cast<unsigned char>(in[eol + 1]) % 64;
  const std::string_view body = in.substr(eol + 2);
  if (!boundary) {
    return 0;
  }
  FUZZ_CHECK(!boundary->empty() && boundary->size() <= 70 && boundary->back() != ' ');
  const fwhub::api::MultipartLimits limits{256, 4};
  const auto whole = parse(*boundary, body, body.size() + 1, limits);
  const auto chunked = parse(*boundary, body, chunk, limits);
  FUZZ_CHECK(whole == chunked);
  return 0;
}
