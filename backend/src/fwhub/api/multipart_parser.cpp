// multipart/form-data: boundary search across chunks, part headers and Content-Disposition
// parameters.
#include "fwhub/api/multipart_parser.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "fwhub/common/status.hpp"

namespace fwhub::api {
namespace {

constexpr std::size_t kMaxBoundary = 70;  // RFC 2046

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

bool is_token_char(char c) {
  return c != ';' && c != '=' && c != '"' && !is_space(c) && static_cast<unsigned char>(c) >= 0x20 && c != 0x7f;
}

// RFC 2046: 1 to 70 bchars, not ending in a space.
bool is_valid_boundary(std::string_view boundary) {
  const auto is_bchar = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
  };
  return !boundary.empty() && boundary.size() <= kMaxBoundary && boundary.back() != ' ' &&
         std::all_of(boundary.begin(), boundary.end(), is_bchar);
}

struct HeaderValue {
  std::string value;                          // lower case: "form-data"
  std::map<std::string, std::string> params;  // names in lower case; the first of duplicates
};

// "type; name=token; name=\"quoted \\\" string\"": nullopt when malformed.
std::optional<HeaderValue> parse_header_value(std::string_view text) {
  std::size_t at = 0;
  const auto skip_space = [&] {
    while (at < text.size() && is_space(text[at])) {
      ++at;
    }
  };
  const auto token = [&] {
    const std::size_t start = at;
    while (at < text.size() && is_token_char(text[at])) {
      ++at;
    }
    return text.substr(start, at - start);
  };
  HeaderValue result;
  skip_space();
  result.value = lower(token());
  if (result.value.empty()) {
    return std::nullopt;
  }
  while (true) {
    skip_space();
    if (at == text.size()) {
      return result;
    }
    if (text[at] != ';') {
      return std::nullopt;
    }
    ++at;
    skip_space();
    if (at == text.size()) {
      return result;  // a trailing ';'
    }
    const std::string name = lower(token());
    skip_space();
    if (name.empty() || at == text.size() || text[at] != '=') {
      return std::nullopt;
    }
    ++at;
    skip_space();
    std::string value;
    if (at < text.size() && text[at] == '"') {
      ++at;
      while (true) {
        if (at == text.size()) {
          return std::nullopt;  // unterminated
        }
        char c = text[at++];
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          if (at == text.size()) {
            return std::nullopt;
          }
          c = text[at++];
        }
        value.push_back(c);
      }
    } else {
      value = token();
      if (value.empty()) {
        return std::nullopt;
      }
    }
    result.params.emplace(name, std::move(value));
  }
}

}  // namespace

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  const auto parsed = parse_header_value(content_type);
  if (!parsed || parsed->value != "multipart/form-data") {
    return std::nullopt;
  }
  const auto it = parsed->params.find("boundary");
  if (it == parsed->params.end() || !is_valid_boundary(it->second)) {
    return std::nullopt;
  }
  return it->second;
}

MultipartParser::MultipartParser(std::string_view boundary, MultipartSink& sink, MultipartLimits limits)
    : delimiter_("\r\n--" + std::string(boundary)), sink_(sink), limits_(limits) {
  if (!is_valid_boundary(boundary)) {
    throw Error(Code::kInvalidArgument, "multipart: the boundary is not 1 to 70 RFC 2046 boundary characters");
  }
  matched_ = 2;  // the first boundary may open the body: as if a CRLF preceded it
}

void MultipartParser::fail(const std::string& message) {
  state_ = State::kFailed;
  throw Error(Code::kInvalidArgument, "multipart: " + message);
}

void MultipartParser::feed(std::string_view chunk) {
  if (state_ == State::kFailed) {
    fail("the body was rejected earlier");
  }
  try {
    std::size_t at = 0;
    while (at < chunk.size()) {
      switch (state_) {
        case State::kPreamble:
        case State::kBody:
          scan_delimiter(chunk, at, state_ == State::kBody);
          break;
        case State::kBoundaryEnd:
        case State::kCloseDash:
        case State::kBoundaryLf:
          boundary_end(chunk[at++]);
          break;
        case State::kHeaders:
          header_byte(chunk[at++]);
          break;
        case State::kEpilogue:
          at = chunk.size();
          break;
        case State::kFailed:
          return;  // unreachable: fail() throws
      }
    }
  } catch (...) {
    state_ = State::kFailed;
    throw;
  }
}

// Consumes chunk[at..] until a whole delimiter is matched (then leaves `at` after it) or the chunk
// ends. Bytes that turn out not to start a delimiter go to the sink when `emit`; held-back bytes
// are always a prefix of the delimiter, so they are restored from it, not buffered.
void MultipartParser::scan_delimiter(std::string_view chunk, std::size_t& at, bool emit) {
  std::size_t run_start = at;  // chunk bytes [run_start, at) are data not yet emitted
  const auto emit_bytes = [&](std::string_view bytes) {
    if (emit && !bytes.empty()) {
      sink_.data(bytes);
    }
  };
  while (at < chunk.size()) {
    if (matched_ == 0) {
      const std::size_t cr = chunk.find('\r', at);
      if (cr == std::string_view::npos) {
        at = chunk.size();
        break;
      }
      at = cr;
    }
    // The delimiter's only CR is its first byte (boundaries have none), so after a mismatch no
    // shorter prefix can still match unless this byte is a CR.
    const char c = chunk[at];
    const std::size_t held = matched_;
    const std::size_t m = delimiter_[held] == c ? held + 1 : c == '\r' ? 1 : 0;
    matched_ = m;
    if (held == 0) {
      emit_bytes(chunk.substr(run_start, at - run_start));
      run_start = ++at;
    } else if (m == 0) {
      emit_bytes(std::string_view(delimiter_).substr(0, held));
      run_start = at++;
    } else {
      emit_bytes(std::string_view(delimiter_).substr(0, held + 1 - m));
      run_start = ++at;
    }
    if (matched_ == delimiter_.size()) {
      matched_ = 0;
      padding_ = 0;
      if (state_ == State::kBody) {
        sink_.end_part();
      }
      state_ = State::kBoundaryEnd;
      return;
    }
  }
  emit_bytes(chunk.substr(run_start, at - run_start));
}

void MultipartParser::boundary_end(char c) {
  switch (state_) {
    case State::kBoundaryEnd:
      if (c == '-' && padding_ == 0) {
        state_ = State::kCloseDash;
      } else if (c == '\r') {
        state_ = State::kBoundaryLf;
      } else if (is_space(c) && ++padding_ <= limits_.max_header_bytes) {
        // transport padding before the CRLF
      } else {
        fail("a boundary is followed by something other than CRLF or \"--\"");
      }
      break;
    case State::kCloseDash:
      if (c != '-') {
        fail("a boundary is followed by something other than CRLF or \"--\"");
      }
      state_ = State::kEpilogue;
      break;
    default:  // kBoundaryLf
      if (c != '\n') {
        fail("a boundary line ends in CR without LF");
      }
      headers_.clear();
      state_ = State::kHeaders;
      break;
  }
}

void MultipartParser::header_byte(char c) {
  headers_.push_back(c);
  if (headers_.size() > limits_.max_header_bytes) {
    fail("a part's header block exceeds " + std::to_string(limits_.max_header_bytes) + " bytes");
  }
  if (headers_ == "\r\n" || (headers_.size() >= 4 && headers_.compare(headers_.size() - 4, 4, "\r\n\r\n") == 0)) {
    begin_part();
  }
}

void MultipartParser::begin_part() {
  if (++parts_ > limits_.max_parts) {
    fail("more than " + std::to_string(limits_.max_parts) + " parts");
  }
  std::optional<std::string> disposition;
  std::optional<std::string> content_type;
  std::string_view block(headers_);
  block.remove_suffix(2);  // the empty line's CRLF
  while (!block.empty()) {
    const std::size_t end = block.find("\r\n");
    const std::string_view line = block.substr(0, end);
    block.remove_prefix(end + 2);  // every line ends in CRLF
    if (line.find_first_of("\r\n") != std::string_view::npos || line.find('\0') != std::string_view::npos) {
      fail("a part header contains a bare CR, LF or NUL");
    }
    if (!line.empty() && is_space(line.front())) {
      fail("a part header is folded over several lines");
    }
    const std::size_t colon = line.find(':');
    const std::string name = lower(line.substr(0, colon));
    if (colon == std::string_view::npos || name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
      fail("malformed part header line");
    }
    const std::string value(trim(line.substr(colon + 1)));
    auto* slot = name == "content-disposition" ? &disposition : name == "content-type" ? &content_type : nullptr;
    if (slot != nullptr) {
      if (slot->has_value()) {
        fail("a part has two " + name + " headers");
      }
      *slot = value;
    }
  }
  if (!disposition) {
    fail("a part has no Content-Disposition header");
  }
  const auto parsed = parse_header_value(*disposition);
  if (!parsed) {
    fail("malformed Content-Disposition header");
  }
  if (parsed->value != "form-data") {
    fail("Content-Disposition is not form-data");
  }
  const auto name = parsed->params.find("name");
  if (name == parsed->params.end() || name->second.empty()) {
    fail("Content-Disposition has no name");
  }
  PartHeaders part;
  part.name = name->second;
  if (const auto filename = parsed->params.find("filename"); filename != parsed->params.end()) {
    part.filename = filename->second;
  }
  part.content_type = content_type.value_or("");
  headers_.clear();
  state_ = State::kBody;
  sink_.begin_part(part);
}

void MultipartParser::finish() {
  switch (state_) {
    case State::kEpilogue:
      return;
    case State::kFailed:
      fail("the body was rejected earlier");
    case State::kPreamble:
      fail("the body holds no boundary");
    default:
      fail("the body ends before the closing boundary");
  }
}

}  // namespace fwhub::api
