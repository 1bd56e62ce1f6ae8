-- Fleet management: organizations, users and their roles, sessions, API tokens, login throttling,
-- and the upgrader's categories, builds, firmware images, devices, credentials, device connections
-- and device firmware. Ids are UUIDs; `org_key` columns ('' = shared) make "unique per
-- organization" rules hold for shared (organization-less) rows too. (VARCHAR: MariaDB refuses
-- generated columns over CHAR, whose value depends on the SQL mode.) Categories and credentials
-- have no foreign key to their organization (MariaDB forbids generated columns over cascading
-- keys): deleting an organization deletes them explicitly (AccountRepository).
CREATE TABLE organizations (
  id          CHAR(36)     NOT NULL PRIMARY KEY,
  name        VARCHAR(128) NOT NULL,
  slug        VARCHAR(64)  NOT NULL,
  created     DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY organizations_name (name),
  UNIQUE KEY organizations_slug (slug)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE users (
  id             CHAR(36)     NOT NULL PRIMARY KEY,
  username       VARCHAR(150) NOT NULL,
  email          VARCHAR(254) NOT NULL DEFAULT '',
  password_hash  VARCHAR(255) NOT NULL,
  is_superuser   BOOLEAN      NOT NULL DEFAULT FALSE,
  is_active      BOOLEAN      NOT NULL DEFAULT TRUE,
  created        DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified       DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY users_username (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE memberships (
  user_id          CHAR(36)  NOT NULL,
  organization_id  CHAR(36)  NOT NULL,
  role             ENUM('admin', 'operator') NOT NULL,
  PRIMARY KEY (user_id, organization_id),
  KEY memberships_org (organization_id),
  CONSTRAINT memberships_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE,
  CONSTRAINT memberships_organization FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Only hashes of session and API tokens are stored.
CREATE TABLE sessions (
  token_hash  CHAR(64)     NOT NULL PRIMARY KEY,
  user_id     CHAR(36)     NOT NULL,
  csrf_token  CHAR(64)     NOT NULL,
  created     DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  expires_at  DATETIME(3)  NOT NULL,
  KEY sessions_user (user_id),
  KEY sessions_expiry (expires_at),
  CONSTRAINT sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE api_tokens (
  id            CHAR(36)     NOT NULL PRIMARY KEY,
  user_id       CHAR(36)     NOT NULL,
  name          VARCHAR(128) NOT NULL,
  token_hash    CHAR(64)     NOT NULL,
  created       DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  last_used_at  DATETIME(3)  NULL,
  revoked_at    DATETIME(3)  NULL,
  UNIQUE KEY api_tokens_hash (token_hash),
  KEY api_tokens_user (user_id),
  CONSTRAINT api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Failed sign-ins per subject ("user:<name>" and "ip:<address>") within the current window.
CREATE TABLE login_failures (
  subject        VARCHAR(191) NOT NULL PRIMARY KEY,
  failures       INT          NOT NULL,
  window_start   DATETIME(3)  NOT NULL,
  blocked_until  DATETIME(3)  NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE categories (
  id               CHAR(36)     NOT NULL PRIMARY KEY,
  organization_id  VARCHAR(36)  NULL,
  org_key          VARCHAR(36)  AS (IFNULL(organization_id, '')) PERSISTENT,
  name             VARCHAR(64)  NOT NULL,
  description      TEXT         NOT NULL,
  created          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY categories_name (org_key, name),
  KEY categories_org (organization_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- organization_id is the category's (copied; a category never changes organization).
CREATE TABLE fw_builds (
  id               CHAR(36)     NOT NULL PRIMARY KEY,
  category_id      CHAR(36)     NOT NULL,
  organization_id  VARCHAR(36)  NULL,
  org_key          VARCHAR(36)  AS (IFNULL(organization_id, '')) PERSISTENT,
  version          VARCHAR(32)  NOT NULL,
  os               VARCHAR(64)  NULL,
  changelog        TEXT         NOT NULL,
  created          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY fw_builds_version (category_id, version),
  UNIQUE KEY fw_builds_os (org_key, os),
  KEY fw_builds_org (organization_id, created),
  CONSTRAINT fw_builds_category FOREIGN KEY (category_id) REFERENCES categories (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE fw_images (
  id               CHAR(36)     NOT NULL PRIMARY KEY,
  build_id         CHAR(36)     NOT NULL,
  organization_id  CHAR(36)     NULL,
  type             VARCHAR(128) NOT NULL,
  file_name        VARCHAR(255) NOT NULL,
  size             BIGINT       NOT NULL,
  sha256           CHAR(64)     NOT NULL,
  boards           TEXT         NOT NULL,
  metadata         TEXT         NOT NULL,
  created          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY fw_images_type (build_id, type),
  KEY fw_images_org (organization_id),
  CONSTRAINT fw_images_build FOREIGN KEY (build_id) REFERENCES fw_builds (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE credentials (
  id               CHAR(36)     NOT NULL PRIMARY KEY,
  organization_id  VARCHAR(36)  NULL,
  org_key          VARCHAR(36)  AS (IFNULL(organization_id, '')) PERSISTENT,
  name             VARCHAR(64)  NOT NULL,
  connector        VARCHAR(32)  NOT NULL DEFAULT 'ssh',
  username         VARCHAR(64)  NOT NULL,
  port             INT          NOT NULL DEFAULT 22,
  auth             ENUM('password', 'private_key') NOT NULL,
  secret           VARBINARY(16384) NOT NULL,
  auto_add         BOOLEAN      NOT NULL DEFAULT FALSE,
  created          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY credentials_name (org_key, name),
  KEY credentials_org (organization_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE devices (
  id               CHAR(36)     NOT NULL PRIMARY KEY,
  organization_id  CHAR(36)     NOT NULL,
  name             VARCHAR(64)  NOT NULL,
  model            VARCHAR(128) NOT NULL DEFAULT '',
  board_name       VARCHAR(128) NOT NULL DEFAULT '',
  os               VARCHAR(128) NOT NULL DEFAULT '',
  management_ip    VARCHAR(64)  NOT NULL DEFAULT '',
  last_ip          VARCHAR(64)  NOT NULL DEFAULT '',
  ssh_port         INT          NOT NULL DEFAULT 22,
  host_key         TEXT         NULL,
  group_name       VARCHAR(64)  NOT NULL DEFAULT '',
  location         VARCHAR(128) NOT NULL DEFAULT '',
  deactivated      BOOLEAN      NOT NULL DEFAULT FALSE,
  created          DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY devices_name (organization_id, name),
  KEY devices_group (organization_id, group_name),
  KEY devices_location (organization_id, location),
  CONSTRAINT devices_organization FOREIGN KEY (organization_id) REFERENCES organizations (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE device_connections (
  id              CHAR(36)     NOT NULL PRIMARY KEY,
  device_id       CHAR(36)     NOT NULL,
  credentials_id  CHAR(36)     NOT NULL,
  enabled         BOOLEAN      NOT NULL DEFAULT TRUE,
  is_working      BOOLEAN      NULL,
  failure_reason  TEXT         NOT NULL,
  last_attempt    DATETIME(3)  NULL,
  created         DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified        DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY device_connections_pair (device_id, credentials_id),
  CONSTRAINT device_connections_device FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE,
  CONSTRAINT device_connections_credentials FOREIGN KEY (credentials_id) REFERENCES credentials (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE device_firmware (
  id         CHAR(36)     NOT NULL PRIMARY KEY,
  device_id  CHAR(36)     NOT NULL,
  image_id   CHAR(36)     NOT NULL,
  installed  BOOLEAN      NOT NULL DEFAULT FALSE,
  created    DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  modified   DATETIME(3)  NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
  UNIQUE KEY device_firmware_device (device_id),
  KEY device_firmware_image (image_id),
  CONSTRAINT device_firmware_device FOREIGN KEY (device_id) REFERENCES devices (id) ON DELETE CASCADE,
  CONSTRAINT device_firmware_image FOREIGN KEY (image_id) REFERENCES fw_images (id) ON DELETE CASCADE
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
