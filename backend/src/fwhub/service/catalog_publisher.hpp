// Publishing: turns the stored catalog into the static documents OpenWrt's clients read
// (json/v1/..., .versions.json, releases/...), written as one new tree that replaces the old
// one at once, so nginx serves them at static-file cost and readers never see half a catalog.
#pragma once

#include <optional>
#include <string>

#include "fwhub/common/config.hpp"
#include "fwhub/domain/catalog/ports.hpp"

namespace fwhub::service {

// Port: where documents go (sys::PublicTree writes a fresh folder and swaps a symlink).
class DocumentSink {
 public:
  virtual ~DocumentSink() = default;
  // Generation of the tree now served, if any.
  virtual std::optional<long> published_generation() = 0;
  virtual void begin(long generation) = 0;
  // path relative to the public root, e.g. "json/v1/overview.json".
  virtual void write(const std::string& path, const std::string& content) = 0;
  // Makes everything written since begin() visible at once.
  virtual void commit() = 0;
};

struct PublishReport {
  long generation = 0;
  int files = 0;
};

class CatalogPublisher {
 public:
  CatalogPublisher(domain::catalog::CatalogStore& store, DocumentSink& sink, const CatalogConfig& catalog,
                   const BuildConfig& build)
      : store_(store), sink_(sink), catalog_(catalog), build_(build) {}

  // Publishes when the stored generation is not the one served (or `force`); nullopt otherwise.
  std::optional<PublishReport> publish_if_stale(bool force = false);

 private:
  domain::catalog::CatalogStore& store_;
  DocumentSink& sink_;
  const CatalogConfig& catalog_;
  const BuildConfig& build_;
};

}  // namespace fwhub::service
