-- A credential's sealed secret is the password or private key plus 40 bytes (nonce and tag), and
-- the API takes private keys of up to 16,384 characters (up to 4 bytes each): VARBINARY(16384)
-- refused the longest keys with error 1406 (a 500). MEDIUMBLOB holds 16 MiB.
-- Re-running the statement changes nothing.
ALTER TABLE credentials MODIFY secret MEDIUMBLOB NOT NULL;
