// What identifies the host CPU for the disk cache, without LLVM: code compiled for this
// machine (LLVM's host CPU name and features) is valid exactly where this id is the same.
#pragma once

#include <string>

namespace dn {

// A hex string derived from the CPU's identification and feature words (x86: CPUID leaves
// for vendor, family/model/stepping and feature flags, and the OS-enabled register state
// from XGETBV; elsewhere: the kernel's hardware capability words). Stable across processes
// and reboots of one machine; per-core fields (APIC ids) are masked out.
std::string host_cpu_id();

}  // namespace dn
