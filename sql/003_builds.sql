-- Image builds of the ASU API: one row per request hash, its progress, result and retention,
-- and daily build statistics.
CREATE TABLE builds (
  id                   BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  request_hash         CHAR(64)     NOT NULL,
  status               ENUM('queued', 'running', 'done', 'failed') NOT NULL DEFAULT 'queued',
  imagebuilder_status  VARCHAR(32)  NOT NULL DEFAULT 'init',
  request_json         LONGTEXT     NOT NULL,
  version              VARCHAR(32)  NOT NULL,
  target               VARCHAR(64)  NOT NULL,
  profile              VARCHAR(128) NOT NULL,
  client               VARCHAR(128) NOT NULL,
  enqueued_at          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  started_at           DATETIME(3)  NULL,
  finished_at          DATETIME(3)  NULL,
  expires_at           DATETIME(3)  NULL,
  build_seconds        DOUBLE       NULL,
  result_json          LONGTEXT     NULL,
  detail               TEXT         NULL,
  stdout               MEDIUMTEXT   NULL,
  stderr               MEDIUMTEXT   NULL,
  UNIQUE KEY builds_hash (request_hash),
  KEY builds_queue (status, id),
  KEY builds_expiry (expires_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE build_stats (
  day        DATE         NOT NULL,
  event      ENUM('request', 'cache_hit', 'cache_miss', 'success', 'failure') NOT NULL,
  version    VARCHAR(32)  NOT NULL,
  target     VARCHAR(64)  NOT NULL,
  profile    VARCHAR(128) NOT NULL,
  client     VARCHAR(128) NOT NULL,
  count      BIGINT       NOT NULL DEFAULT 0,
  seconds    DOUBLE       NOT NULL DEFAULT 0,
  PRIMARY KEY (day, event, version, target, profile, client)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
