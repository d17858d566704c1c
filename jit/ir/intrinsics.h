// The operations a typed Call can denote (see intrinsics.def for their semantics).
#pragma once

#include <cstdint>

namespace dn {

enum class Intrinsic : uint8_t {
#define INTRINSIC(name) name,
#include "jit/ir/intrinsics.def"
#undef INTRINSIC
};

const char* intrinsic_name(Intrinsic i);

}  // namespace dn
