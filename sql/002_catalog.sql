-- The upstream catalog: versions, targets with their verified profiles.json, profiles and board
-- names for lookups, package indexes, conditional-request validators and small documents.
CREATE TABLE catalog_versions (
  version     VARCHAR(32)  NOT NULL PRIMARY KEY,
  branch      VARCHAR(32)  NOT NULL,
  path        VARCHAR(64)  NOT NULL,
  synced_at   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE catalog_targets (
  version        VARCHAR(32)  NOT NULL,
  target         VARCHAR(64)  NOT NULL,
  arch           VARCHAR(64)  NOT NULL,
  version_code   VARCHAR(64)  NOT NULL,
  profiles_json  LONGTEXT     NOT NULL,
  synced_at      DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  PRIMARY KEY (version, target)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE catalog_profiles (
  version      VARCHAR(32)  NOT NULL,
  target       VARCHAR(64)  NOT NULL,
  profile      VARCHAR(128) NOT NULL,
  titles       TEXT         NOT NULL,
  PRIMARY KEY (version, target, profile)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Every name a profile answers to within its target: its id and its supported devices.
CREATE TABLE catalog_board_names (
  version      VARCHAR(32)  NOT NULL,
  target       VARCHAR(64)  NOT NULL,
  name         VARCHAR(191) NOT NULL,
  profile      VARCHAR(128) NOT NULL,
  PRIMARY KEY (version, target, name),
  KEY catalog_board_names_name (version, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE catalog_packages (
  version      VARCHAR(32)  NOT NULL,
  scope        VARCHAR(128) NOT NULL,
  name         VARCHAR(191) NOT NULL,
  pkg_version  VARCHAR(128) NOT NULL,
  PRIMARY KEY (version, scope, name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE upstream_validators (
  url            VARCHAR(700) NOT NULL PRIMARY KEY,
  etag           VARCHAR(255) NOT NULL DEFAULT '',
  last_modified  VARCHAR(64)  NOT NULL DEFAULT '',
  fetched_at     DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

CREATE TABLE catalog_documents (
  name       VARCHAR(64)  NOT NULL PRIMARY KEY,
  body       LONGTEXT     NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE catalog_state (
  id          TINYINT      NOT NULL PRIMARY KEY,
  generation  BIGINT       NOT NULL
) ENGINE = InnoDB;

INSERT INTO catalog_state (id, generation) VALUES (1, 0);
