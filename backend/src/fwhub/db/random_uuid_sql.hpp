// A random (version 4) UUID as an SQL expression, for ids that statements make set-based.
#pragma once

namespace fwhub::db {

// MariaDB's UUID() is version 1: the time and the host, so one id tells when it was made and
// guesses its neighbours. This is 122 bits of RANDOM_BYTES (the server's cryptographic random
// source, MariaDB 10.10+, MySQL 5.6.17+) in the form of common::random_uuid(): lower-case hex,
// version nibble 4, variant 8-b. It is evaluated once per row.
inline constexpr const char* kRandomUuidSql =
    "LOWER(CONCAT(HEX(RANDOM_BYTES(4)), '-', HEX(RANDOM_BYTES(2)), '-4', SUBSTR(HEX(RANDOM_BYTES(2)), 2), '-',"
    " ELT(1 + (ORD(RANDOM_BYTES(1)) & 3), '8', '9', 'a', 'b'), SUBSTR(HEX(RANDOM_BYTES(2)), 2), '-',"
    " HEX(RANDOM_BYTES(6))))";

}  // namespace fwhub::db
