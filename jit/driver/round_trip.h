// DUNNART_VERIFY_ROUNDTRIP=1, a debug option: after each pass the IR's text must parse back
// to IR that verifies and prints the same text. It keeps the printer and the parser honest
// over everything the test suite compiles (tests/python/test_ir_roundtrip.py turns it on).
#pragma once

#include "jit/ir/ir.h"

namespace dn {

bool verify_round_trip_enabled();  // read once from the environment

// Raises InternalError naming `stage` when f's text does not round-trip.
void check_round_trip(const Function& f, const char* stage, bool typed);

}  // namespace dn
