// A streaming multipart/form-data parser (RFC 7578 over RFC 2046): fed the request body in chunks
// of any size, it hands each part's headers and data to a sink without holding a whole part.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fwhub::api {

// The boundary of a "multipart/form-data; boundary=..." Content-Type (quoted or not, parameter
// names in any case); nullopt for another media type, a missing boundary, or one that RFC 2046
// forbids (empty, longer than 70 characters, characters outside bchars, a trailing space).
std::optional<std::string> multipart_boundary(std::string_view content_type);

struct PartHeaders {
  std::string name;                     // Content-Disposition name (required)
  std::optional<std::string> filename;  // Content-Disposition filename, as sent (not sanitised)
  std::string content_type;             // "" when the part has no Content-Type
};

// Receives the parts in order: begin_part, data zero or more times, end_part.
class MultipartSink {
 public:
  virtual ~MultipartSink() = default;
  virtual void begin_part(const PartHeaders& headers) = 0;
  virtual void data(std::string_view bytes) = 0;
  virtual void end_part() = 0;
};

struct MultipartLimits {
  std::size_t max_header_bytes = 8192;  // one part's header block, CRLFs included
  std::size_t max_parts = 16;
};

// Memory stays bounded by max_header_bytes: part data goes to the sink as it arrives (held back
// only while it could be the start of a boundary, which the boundary string itself restores).
// Malformed input throws Error(kInvalidArgument) with the reason; after any exception, from the
// parser or the sink, the parser refuses further input.
class MultipartParser {
 public:
  // Throws Error(kInvalidArgument) for a boundary that multipart_boundary would not return.
  MultipartParser(std::string_view boundary, MultipartSink& sink, MultipartLimits limits = {});

  void feed(std::string_view chunk);
  // Throws Error(kInvalidArgument) unless the closing boundary has been seen.
  void finish();

 private:
  enum class State {
    kPreamble,     // discarding until the first boundary
    kBoundaryEnd,  // after a boundary: "--", transport padding or CRLF
    kCloseDash,    // after "--boundary-"
    kBoundaryLf,   // after "--boundary\r"
    kHeaders,      // collecting a part's header block
    kBody,         // streaming a part's data
    kEpilogue,     // after the closing boundary: discarded
    kFailed,
  };

  void scan_delimiter(std::string_view chunk, std::size_t& at, bool emit);
  void boundary_end(char c);
  void header_byte(char c);
  void begin_part();
  [[noreturn]] void fail(const std::string& message);

  std::string delimiter_;  // "\r\n--" + boundary
  MultipartSink& sink_;
  MultipartLimits limits_;
  State state_ = State::kPreamble;
  std::size_t matched_ = 0;  // delimiter bytes matched (held back from the sink)
  std::size_t padding_ = 0;  // transport padding after the current boundary
  std::size_t parts_ = 0;
  std::string headers_;
};

}  // namespace fwhub::api
