// Statistics documents from the build_stats and build_package_stats tables.
#include "fwhub/api/handlers/stats_handler.hpp"

#include <algorithm>
#include <ctime>
#include <map>
#include <regex>

#include "fwhub/common/status.hpp"
#include "fwhub/common/utc_time.hpp"

namespace fwhub::api {
namespace {

constexpr int kDays = 30;

// The last `count` days, oldest first, as YYYY-MM-DD (UTC).
std::vector<std::string> last_days(int count) {
  const std::int64_t now = std::time(nullptr);
  std::vector<std::string> out;
  for (int back = count - 1; back >= 0; --back) {
    out.push_back(format_utc(now - std::int64_t{back} * 86400, kDayFormat));
  }
  return out;
}

// {"labels": days, "datasets": [{"label", "data"}]} with zeros where nothing was counted.
Response chart(const std::vector<domain::build::DailyCount>& counts,
               const std::vector<std::pair<std::string, std::string>>& series) {
  const auto labels = last_days(kDays);
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    column[labels[i]] = i;
  }
  std::map<std::string, std::vector<long long>> data;
  for (const auto& [key, label] : series) {
    data[key].assign(labels.size(), 0);
  }
  for (const auto& count : counts) {
    const auto at = column.find(count.day);
    const auto row = data.find(count.key);
    if (at != column.end() && row != data.end()) {
      row->second[at->second] += count.count;
    }
  }
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("labels");
    w.StartArray();
    for (const auto& label : labels) {
      w.String(label.c_str());
    }
    w.EndArray();
    w.Key("datasets");
    w.StartArray();
    for (const auto& [key, label] : series) {
      w.StartObject();
      w.Key("label");
      w.String(label.c_str());
      w.Key("data");
      w.StartArray();
      for (const long long value : data[key]) {
        w.Int64(value);
      }
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
}

}  // namespace

Response handle_stats(const Request& /*request*/, Context& context) {
  const int queue = context.builds.queue_length();
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("queue_length");
    w.Int(queue);
    w.EndObject();
  });
}

Response handle_builds_per_day(const Request& /*request*/, Context& context) {
  return chart(context.builds.events_per_day(kDays),
               {{"request", "Requests"}, {"cache_hit", "Cache-Hits"}, {"failure", "Failures"}});
}

Response handle_builds_by_version(const Request& /*request*/, Context& context) {
  const auto counts = context.builds.requests_per_version(kDays);
  std::vector<std::pair<std::string, std::string>> series;
  for (const auto& count : counts) {
    if (std::none_of(series.begin(), series.end(), [&](const auto& s) { return s.first == count.key; })) {
      series.emplace_back(count.key, count.key);
    }
  }
  std::sort(series.begin(), series.end());
  return chart(counts, series);
}

Response handle_top_packages(const Request& request, Context& context) {
  const std::string branch = request.query_value("branch").value_or("");
  if (branch.empty()) {
    throw Error(Code::kInvalidArgument, "branch is required, e.g. ?branch=23.05");
  }
  const std::string n = request.query_value("n").value_or("20");
  int limit = 0;
  if (n.empty() || n.size() > 4 || n.find_first_not_of("0123456789") != std::string::npos ||
      (limit = std::stoi(n)) < 1 || limit > 1000) {
    throw Error(Code::kInvalidArgument, "n must be a number from 1 to 1000");
  }
  const auto packages = context.builds.top_packages(branch, limit);
  return json_response(200, [&](JsonWriter& w) {
    w.StartObject();
    w.Key("branch");
    w.String(branch.c_str(), static_cast<rapidjson::SizeType>(branch.size()));
    w.Key("packages");
    w.StartArray();
    for (const auto& package : packages) {
      w.StartArray();
      w.String(package.package.c_str(), static_cast<rapidjson::SizeType>(package.package.size()));
      w.Int64(package.count);
      w.EndArray();
    }
    w.EndArray();
    w.EndObject();
  });
}

Response handle_build_errors(const Request& /*request*/, Context& context) {
  static const std::regex kHash("[0-9a-fA-F]{64}");
  std::string text;
  for (const auto& failure : context.builds.recent_failures(100)) {
    text += failure.finished_at + " " + failure.version + " " + failure.target + " " + failure.profile + ": " +
            std::regex_replace(failure.detail, kHash, "<hash>") + "\n";
  }
  Response response;
  response.body = text.empty() ? "no failed builds\n" : text;
  response.header("Content-Type", "text/plain; charset=utf-8");
  return response;
}

}  // namespace fwhub::api
