// Typing rules of namedtuples and enum members. A namedtuple is a Tuple that keeps its class
// (type.h): `p.x` is the tuple's element, `P(...)` builds the tuple, `p._replace(x=v)` a new
// one; everything else is a tuple's. An enum member is its int value at run time, typed by
// its class: `Color.RED` is a constant, `c.value` the value, `c.name` a str constant where the
// member is known; members compare by identity (by value within one class), and an IntEnum
// member is an int wherever a number is expected (demote_int_enum).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "jit/frontend/function_info.h"
#include "jit/ir/ir.h"
#include "jit/typing/resolve.h"

namespace dn {

// The type of a global namedtuple class or instance, enum class or enum member (values.h);
// an instance's or member's value in constant_out (a member's name in constant_out->s).
const Type* class_global_type(const GlobalValue& g, ConstValue* constant_out);

// The parameters of a namedtuple class `g` as a function's, for binding P(y=1, x=2) and
// defaults like a jitted function's call (bind_call_arguments.h).
std::shared_ptr<const FunctionInfo> namedtuple_constructor(const GlobalValue& g);

// obj.attr where obj is a namedtuple class or instance, an enum class or member (null for
// other receivers). constant_out: a value known while compiling. field_out: p.x's index.
const Type* class_attribute_type(const Instr* obj, const std::string& attr, ConstValue* constant_out,
                                 int* field_out = nullptr);

// P(a, b) (arguments bound) and p._replace(x=a): the namedtuple they make (null: neither).
const Type* class_call_type(const Type* callee, const std::vector<const Type*>& args,
                            const std::vector<std::string>& kwnames);

// How a comparison with an enum member compares: not one (None), a result known from the
// types (AlwaysTrue/AlwaysFalse: members of different classes, or of a class and a number),
// or the members' values (Values: one class, or IntEnum with a number; `is` becomes `==`).
enum class EnumCompare { None, AlwaysTrue, AlwaysFalse, Values };
EnumCompare enum_comparison(CmpKind k, const Type* a, const Type* b);

// The value of the enum member `v` when it is known while compiling (Color.RED, a global
// member): a comparison of two of them prunes a branch, like a.ndim == 2.
bool known_enum_value(const Instr* v, int64_t& value);

// The int an IntEnum member stands for where a number is used (arithmetic, calls of
// builtins and NumPy, indices): its value's type, null for other values.
const Type* demote_int_enum(const Type* t);

}  // namespace dn
