-- Packages asked for by new builds, per day and branch (GET /api/v1/top-packages).
CREATE TABLE IF NOT EXISTS build_package_stats (
  day      DATE         NOT NULL,
  branch   VARCHAR(32)  NOT NULL,
  package  VARCHAR(128) NOT NULL,
  count    BIGINT       NOT NULL DEFAULT 0,
  PRIMARY KEY (branch, day, package)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
