// SHA-256 (FIPS 180-4) for the disk cache's keys and object names. In the runtime so that a
// cache hit hashes without importing a hashing module (hashlib pulls in OpenSSL; even the
// builtin _sha256 is a shared library to load).
#pragma once

#include <cstddef>
#include <string>

namespace dn {

// Lower-case hex digest (64 characters).
std::string sha256_hex(const void* data, size_t size);

}  // namespace dn
