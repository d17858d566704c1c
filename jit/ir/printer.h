// Pieces of the IR's text form that the printer and the parser share (print_function and
// print_instr themselves are declared in ir.h).
#pragma once

#include <string>

#include "jit/ir/ir.h"

namespace dn {

// `s` between `quote` characters, with \\, \<quote>, \n, \t and \xNN escapes.
std::string quote_text(const std::string& s, char quote);
// The shortest text that reads back as `v`; always distinct from an integer.
std::string float_text(double v);
// None, True, 42, 1.5, complex(1.0, 2.0), 'text', (1, 2), object("list"), bigint(123...)
std::string const_text(const ConstValue& c);
const char* global_kind_name(GlobalValue::Kind k);  // const, module, function, class, ...
const char* fill_name(ArrayFill f);                 // empty, zeros, ones

}  // namespace dn
