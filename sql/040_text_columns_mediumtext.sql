-- A category's description and a build's changelog take up to 65,535 characters (the API's limit),
-- but TEXT holds 65,535 bytes: 40,000 "é" (80,000 bytes of UTF-8) failed with error 1366 (a 500).
-- MEDIUMTEXT holds 16 MiB, enough for 65,535 characters of 4 bytes.
-- Re-running either statement changes nothing.
ALTER TABLE categories MODIFY description MEDIUMTEXT NOT NULL;
ALTER TABLE fw_builds MODIFY changelog MEDIUMTEXT NOT NULL;
