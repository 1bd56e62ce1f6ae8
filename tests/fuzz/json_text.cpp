// Fuzzes the one JSON reader (parse_json): any text is either refused with a reason or read into
// a document no deeper than kMaxJsonDepth, whose depth is the one the pre-scan counted, and which,
// written out and read again, holds the same values.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "fuzz/fuzz_check.hpp"
#include "fwhub/common/json_text.hpp"
#include "fwhub/common/utf8.hpp"

namespace {

// The nesting depth of a document, walked with a stack of our own (no recursion).
std::size_t document_depth(const rapidjson::Value& root) {
  std::size_t deepest = 0;
  std::vector<std::pair<const rapidjson::Value*, std::size_t>> pending = {{&root, 0}};
  while (!pending.empty()) {
    const auto [value, depth] = pending.back();
    pending.pop_back();
    if (value->IsArray()) {
      deepest = std::max(deepest, depth + 1);
      for (const auto& item : value->GetArray()) {
        pending.emplace_back(&item, depth + 1);
      }
    } else if (value->IsObject()) {
      deepest = std::max(deepest, depth + 1);
      for (const auto& member : value->GetObject()) {
        pending.emplace_back(&member.value, depth + 1);
      }
    }
  }
  return deepest;
}

// The same values in the same order; numbers that are not integers may differ in the last bit
// (RapidJSON's default number parsing is not correctly rounded; its full-precision path calls
// clz(0) on "0E222", undefined behaviour, so fwhub does not use it).
bool same_shape(const rapidjson::Value& a, const rapidjson::Value& b) {
  std::vector<std::pair<const rapidjson::Value*, const rapidjson::Value*>> pending = {{&a, &b}};
  while (!pending.empty()) {
    const auto [x, y] = pending.back();
    pending.pop_back();
    if (x->GetType() != y->GetType()) {
      return false;
    }
    if (x->IsString() && *x != *y) {
      return false;
    }
    if (x->IsNumber() && (x->IsInt64() != y->IsInt64() || (x->IsInt64() && x->GetInt64() != y->GetInt64()) ||
                          std::fabs(x->GetDouble() - y->GetDouble()) > 1e-12 * std::fabs(x->GetDouble()))) {
      return false;
    }
    if (x->IsArray()) {
      if (x->Size() != y->Size()) {
        return false;
      }
      for (rapidjson::SizeType i = 0; i < x->Size(); ++i) {
        pending.emplace_back(&(*x)[i], &(*y)[i]);
      }
    }
    if (x->IsObject()) {
      if (x->MemberCount() != y->MemberCount()) {
        return false;
      }
      for (auto i = x->MemberBegin(), j = y->MemberBegin(); i != x->MemberEnd(); ++i, ++j) {
        if (i->name != j->name) {
          return false;
        }
        pending.emplace_back(&i->value, &j->value);
      }
    }
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fwhub::fuzz::as_text(data, size);
  rapidjson::Document document;
  const std::string reason = fwhub::parse_json(document, text);
  const std::size_t scanned = fwhub::json_depth(text);
  if (!reason.empty()) {
    FUZZ_CHECK(reason.starts_with("invalid JSON at offset ") ||
               (reason == "JSON nested more than 64 levels deep" && scanned > fwhub::kMaxJsonDepth));
    return 0;
  }
  FUZZ_CHECK(scanned <= fwhub::kMaxJsonDepth);
  FUZZ_CHECK(document_depth(document) == scanned);
  rapidjson::StringBuffer buffer;  // recursion bounded by the depth limit
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  FUZZ_CHECK(document.Accept(writer));
  const std::string written(buffer.GetString(), buffer.GetSize());
  FUZZ_CHECK(fwhub::json_depth(written) == scanned);
  if (fwhub::has_lone_surrogate(written)) {
    return 0;  // RapidJSON decodes "\udc00" into bytes that are not UTF-8; the callers refuse those
  }
  rapidjson::Document again;
  FUZZ_CHECK(fwhub::parse_json(again, written).empty());
  FUZZ_CHECK(same_shape(document, again));
  return 0;
}
