// The operations a typed Call can denote (see intrinsics.def for their semantics).
#pragma once

#include <cstdint>

namespace dn {

enum class Intrinsic : uint8_t {
#define INTRINSIC(name) name,
#include "jit/ir/intrinsics.def"
#undef INTRINSIC
};

// How many there are (so that code walking all of them does not name the last one).
constexpr int kIntrinsicCount = 0
#define INTRINSIC(name) +1
#include "jit/ir/intrinsics.def"
#undef INTRINSIC
    ;

const char* intrinsic_name(Intrinsic i);

}  // namespace dn
