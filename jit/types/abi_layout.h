// The memory layout of values at the boundary between compiled code and the bindings:
// natural C alignment of each type's memory representation (bool is one byte, arrays are
// the descriptor of runtime/abi.h, tuples are structs). Codegen's LLVM struct types have
// exactly this layout on every supported target.
#pragma once

#include <cstddef>
#include <vector>

#include "jit/types/type.h"

namespace dn {

struct AbiLayout {
  size_t size = 0, align = 1;
  std::vector<size_t> offsets;  // tuples: offset of each element
};

AbiLayout abi_layout(const Type* t);

// The runtime's DnDType code (runtime/abi.h) of a scalar type.
int dtype_code(const Type* t);

// The runtime's description of the keys (values) of a dict or set: {count, is_tuple,
// dtype0, offset0, ...} over the scalars of a scalar or (nested) tuple type; {0, 0} for
// none (null: a set's values), {-1, 0} for values not compared (lists). See DnDict in
// runtime/abi.h.
std::vector<int64_t> hash_fields(const Type* t);
// The number of scalars in a scalar or (nested) tuple type.
size_t scalar_count(const Type* t);

}  // namespace dn
