/* The runtime's C ABI: the one definition of the array descriptor, error codes, dtype
 * codes and runtime entry points that generated code calls and the bindings use.
 * Generated code reaches these functions through the symbol table in symbols.cpp. */
#pragma once

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Status returned by every compiled function and runtime entry point: 0 ok, otherwise the
 * code of the error recorded with dn_set_error; the bindings raise the matching Python
 * exception. */
enum DnErrorCode {
  DN_OK = 0,
  DN_INDEX_ERROR = 1,
  DN_ZERO_DIVISION_ERROR = 2,
  DN_VALUE_ERROR = 3,
  DN_MEMORY_ERROR = 4,
  DN_OVERFLOW_ERROR = 5,
  DN_TYPE_ERROR = 6,
  DN_RUNTIME_ERROR = 7,
  DN_UNBOUND_LOCAL_ERROR = 8,
  /* Raised by the program itself (`raise KeyError(...)`, `assert`). */
  DN_ASSERTION_ERROR = 9,
  DN_KEY_ERROR = 10,
  DN_NOT_IMPLEMENTED_ERROR = 11,
  DN_ARITHMETIC_ERROR = 12,
  DN_LOOKUP_ERROR = 13,
  DN_EXCEPTION = 14,
  DN_RECURSION_ERROR = 15,
  DN_ATTRIBUTE_ERROR = 16, /* None.shape: an optional that holds None (jit/typing/optional_rules) */
  DN_STOP_ITERATION = 17,  /* next() of an exhausted generator (jit/transforms/lower_generators) */
  DN_LINALG_ERROR = 18,    /* numpy.linalg.LinAlgError, a ValueError (the bindings raise NumPy's class) */
};

/* The Python exception class of each code, named once: the frontend maps `raise Name(...)`
 * through it and the bindings raise that class (X(code, Python name)). */
#define DN_EXCEPTION_CLASSES(X)                                                               \
  X(DN_INDEX_ERROR, IndexError) X(DN_ZERO_DIVISION_ERROR, ZeroDivisionError)                  \
  X(DN_VALUE_ERROR, ValueError) X(DN_MEMORY_ERROR, MemoryError)                               \
  X(DN_OVERFLOW_ERROR, OverflowError) X(DN_TYPE_ERROR, TypeError)                             \
  X(DN_RUNTIME_ERROR, RuntimeError) X(DN_UNBOUND_LOCAL_ERROR, UnboundLocalError)              \
  X(DN_ASSERTION_ERROR, AssertionError) X(DN_KEY_ERROR, KeyError)                             \
  X(DN_NOT_IMPLEMENTED_ERROR, NotImplementedError) X(DN_ARITHMETIC_ERROR, ArithmeticError)    \
  X(DN_LOOKUP_ERROR, LookupError) X(DN_EXCEPTION, Exception) X(DN_RECURSION_ERROR, RecursionError) \
  X(DN_ATTRIBUTE_ERROR, AttributeError) X(DN_STOP_ITERATION, StopIteration)

/* Element types of arrays, in the order of NumPy's type numbers for the ones it shares. */
enum DnDType {
  DN_BOOL = 0,
  DN_INT8, DN_UINT8, DN_INT16, DN_UINT16, DN_INT32, DN_UINT32, DN_INT64, DN_UINT64,
  DN_FLOAT32, DN_FLOAT64, DN_COMPLEX64, DN_COMPLEX128,
};

/* Reference-counted owner of array memory allocated by compiled code. */
typedef struct DnMemInfo {
  int64_t refcount;
  void* data;
  int64_t size;
  int64_t resizable; /* data is from malloc and grows with realloc (list buffers) */
} DnMemInfo;

/* An array descriptor of `ndim` dimensions is laid out as
 *   { DnMemInfo* meminfo; void* parent; char* data; int64_t shape[ndim]; int64_t strides[ndim]; }
 * meminfo is null for memory owned by a Python object (`parent`, borrowed for the call).
 * Strides are in bytes. DnArrayHeader is the fixed part; shape follows it. */
typedef struct DnArrayHeader {
  DnMemInfo* meminfo;
  void* parent;
  char* data;
} DnArrayHeader;

static inline int64_t* dn_array_shape(void* desc) {
  return (int64_t*)((char*)desc + sizeof(DnArrayHeader));
}
static inline int64_t* dn_array_strides(void* desc, int ndim) {
  return dn_array_shape(desc) + ndim;
}

/* A Python str: `length` code points of `kind` bytes each (1, 2 or 4: CPython's PEP 393
 * kinds) at `data`. An argument's points into its PyUnicode object (borrowed for the
 * call); strings that compiled code makes live in the call's arena. Equal strings may
 * differ in kind (a slice keeps its source's), so they compare by code points. */
typedef struct DnStr {
  const void* data;
  int64_t length;
  int64_t kind;
} DnStr;
/* == of two strs (1 or 0), and their order by code points (<0, 0, >0), each given by its
 * parts (data, length, kind): in registers, so that compiled code can hoist them. */
int32_t dn_str_equal(const void* a, int64_t a_length, int64_t a_kind, const void* b, int64_t b_length, int64_t b_kind);
int32_t dn_str_compare(const void* a, int64_t a_length, int64_t a_kind, const void* b, int64_t b_length, int64_t b_kind);
/* The first index of `sub` in `s` at or after `start`, or -1 (`in`, str.find). */
int64_t dn_str_find(const DnStr* s, const DnStr* sub, int64_t start);
/* a + b, s * n, s[index] (negative from the end; IndexError out of range) and
 * s[start:stop:step] (`bounds` as dn_list_slice's): new strs into *out. */
int32_t dn_str_concat(const DnStr* a, const DnStr* b, DnStr* out);
int32_t dn_str_repeat(const DnStr* s, int64_t n, DnStr* out);
int32_t dn_str_getitem(const DnStr* s, int64_t index, DnStr* out);
int32_t dn_str_slice(const DnStr* s, const int64_t* bounds, DnStr* out);
/* str methods (lower_strings): s.startswith(x) / s.endswith(x) (at_end); find (op 0), rfind
 * (1) and count (2), each within s[start:end] (0 and INT64_MAX when not given); strip (sides: 1 left, 2 right, 3 both; whitespace unless has_chars);
 * replace; split (whitespace runs unless has_sep; at most maxsplit splits unless it is
 * negative) into a new list of strs; sep.join(list of
 * strs); and the case and class methods by name (upper, isdigit, ...: a str into *out or a
 * bool into *result), which go to Python's own through the hook for non-ASCII text. */
int32_t dn_str_affix(const DnStr* s, const DnStr* x, int32_t at_end, int64_t start, int64_t end);
int64_t dn_str_search(const DnStr* s, const DnStr* sub, int32_t op, int64_t start, int64_t end);
int32_t dn_str_strip(const DnStr* s, const DnStr* chars, int32_t has_chars, int32_t sides, DnStr* out);
int32_t dn_str_replace(const DnStr* s, const DnStr* old, const DnStr* by, DnStr* out);
struct DnList;
int32_t dn_str_split(const DnStr* s, const DnStr* sep, int32_t has_sep, int64_t maxsplit, struct DnList** out);
int32_t dn_str_join(const DnStr* sep, const struct DnList* parts, DnStr* out);
#define DN_STR_UNICODE_METHODS(X)                                                                          \
  X(upper) X(lower) X(title) X(capitalize) X(swapcase) X(casefold) X(isdigit) X(isalpha) X(isspace) X(isalnum) \
  X(isupper) X(islower) X(isdecimal) X(isnumeric)
int32_t dn_str_unicode(const DnStr* s, int32_t method, DnStr* out, int64_t* result);
/* ord(s) of a str of one character; chr(i) into a new str (OverflowError as "%c" % i gives
 * it, for_percent_c); int(s) and float(s) by Python's
 * grammar (whitespace around, a sign, underscores between digits; inf and nan for float):
 * ValueError with Python's message otherwise. */
int32_t dn_str_ord(const DnStr* s, int64_t* out);
int32_t dn_str_chr(int64_t code, int32_t for_percent_c, DnStr* out);
int32_t dn_str_to_int(const DnStr* s, int64_t* out);
int32_t dn_str_to_float(const DnStr* s, double* out);
/* hash(s): Python's own (salted per process), through the str hook. */
int32_t dn_str_hash(const DnStr* s, int64_t* out);
typedef int32_t (*DnStrMethodHook)(const char* method, const DnStr* s, DnStr* out, int64_t* result);
void dn_set_str_method_hook(DnStrMethodHook hook);
/* A new str of UTF-8 text (for the hook). */
int32_t dn_str_from_utf8(const char* text, int64_t size, DnStr* out);
/* f"..." and str(x): `message` with its values formatted as dn_set_error_values does, a new
 * str into *out. */
int32_t dn_format_str(DnStr* out, const char* message, int64_t count, const int32_t* kinds, const int64_t* bits,
                      const char* specs);

/* Errors: record the error of the current thread (message copied). */
void dn_set_error(int32_t code, const char* message);
/* The same, with a message that outlives the call (a constant of compiled code): kept by
 * address, so that a raise a try catches copies nothing. */
void dn_set_error_static(int32_t code, const char* message);
/* The same, with shapes: each "{}" in `message` becomes the next shape, NumPy style
 * ("(3,)", "(2,4)"); `shapes` is [count, ndim0, dims0..., ndim1, dims1..., ...]. */
void dn_set_error_shapes(int32_t code, const char* message, const int64_t* shapes);
/* The same, with values: each "{}" in `message` becomes the next value formatted as
 * Python's format(value, spec) would ("{{" and "}}" are braces). kinds[k] is a
 * DnFormatKind; bits[k] the value (a float64's bits; float32 widened to float64 first);
 * `specs` holds one spec per value, each ended by '\x1f', "!r"/"!s"/"!a" first for a
 * conversion (format the text). From compiled code's raise of an f-string. */
enum DnFormatKind { DN_FORMAT_INT = 0, DN_FORMAT_UINT = 1, DN_FORMAT_FLOAT64 = 2, DN_FORMAT_FLOAT32 = 3, DN_FORMAT_BOOL = 4,
                    DN_FORMAT_STR = 5 /* bits: the address of a DnStr */,
                    DN_FORMAT_COMPLEX64 = 6, DN_FORMAT_COMPLEX128 = 7 /* bits: the address of {real, imag} */,
                    /* kinds[k] is DN_FORMAT_ARRAY | dtype << 8 | ndim << 16 (a DnDType); bits: the
                     * address of the array's descriptor, formatted by the array text hook */
                    DN_FORMAT_ARRAY = 8 };
void dn_set_error_values(int32_t code, const char* message, int64_t count, const int32_t* kinds, const int64_t* bits,
                         const char* specs);
/* The same, where the exception's one argument is a value: `repr` is its Python repr
 * ("5", "(1, 2.5)"), and the bindings raise the exception with that value as its argument
 * (KeyError(5), whose str is "5", not "'5'"). */
void dn_set_error_repr(int32_t code, const char* repr);
/* Whether the recorded error's message is the repr of its argument (dn_set_error_repr);
 * ask before dn_take_error, which forgets it. */
int32_t dn_error_is_repr(void);
int32_t dn_take_error(char* message_out, int64_t capacity);
/* try/except: takes the recorded error (or, if none was recorded, `status`) out of the
 * record, so that the handler's own errors are recorded afresh, and returns a handle to it
 * whose low 8 bits are its DnErrorCode (what `except` matches); dn_reraise_error records
 * it again and returns its code (handle 0, no exception being handled: RuntimeError, as a
 * bare `raise` outside an except block raises in Python). */
int64_t dn_catch_error(int32_t status);
int32_t dn_reraise_error(int64_t caught);
/* `except E as e`: str(e) (repr(e) when `as_repr` is 1) of the exception a handle of
 * dn_catch_error holds, into *out as a new str: its message ("" when it had none, or is no
 * longer kept), KeyError's the repr of its argument, as Python's exceptions print. */
int32_t dn_exception_text(int64_t caught, int64_t as_repr, DnStr* out);

/* print(...) of compiled code: `message` with its values formatted as dn_set_error_values
 * does, written by the writer the bindings register (to Python's sys.stdout, in order with
 * the program's own output) or to C's stdout without one. The writer returns a status (a
 * failed write records its error). */
typedef int32_t (*DnPrintWriter)(const char* text, int64_t size);
void dn_set_print_writer(DnPrintWriter writer);
/* str() (repr when `repr` is 1) of an array as NumPy writes it, into *out as a new str:
 * the bindings register a hook that asks NumPy itself (its wrapping, precision and
 * summarisation are NumPy's print options). Without one, "<array>". */
typedef int32_t (*DnArrayTextHook)(const void* desc, int32_t dtype, int32_t ndim, int32_t repr, DnStr* out);
void dn_set_array_text_hook(DnArrayTextHook hook);
int32_t dn_print_values(const char* message, int64_t count, const int32_t* kinds, const int64_t* bits,
                        const char* specs);

/* Memory. Allocations made while a call runs are held by the thread's arena until the
 * outermost call ends; whoever keeps an array (the Python object returned) takes its own
 * reference first. */
int32_t dn_array_new(void* out_desc, int64_t ndim, const int64_t* shape, int64_t itemsize,
                     int32_t dtype, int32_t fill);  /* fill: 0 none, 1 zeros, 2 ones */
int32_t dn_array_copy(void* out_desc, const void* src_desc, int64_t ndim, int64_t itemsize);
void dn_meminfo_incref(DnMemInfo* m);
void dn_meminfo_decref(DnMemInfo* m);
/* Frees an arena-held array's data before the call ends (its last use has passed); the
 * MemInfo itself stays until the arena releases it. Null is a no-op. */
void dn_meminfo_release_data(DnMemInfo* m);
int64_t dn_arena_mark(void);
void dn_arena_release(int64_t mark);
/* The most recent allocation the arena holds past `mark`, taken out of it (its reference
 * is now the caller's), or null: a jitted generator called from Python keeps what its
 * frame refers to from one step to the next. */
DnMemInfo* dn_arena_take_last(int64_t mark);

/* A Python list of one element type, as compiled code holds it: `size` elements of
 * `itemsize` bytes at `data` (the memory of `buffer`), room for `capacity`. Lists are held
 * by the thread's arena like arrays; compiled code reads and writes size and data directly
 * (the first two fields are the header the IR's list_header addresses). */
typedef struct DnList {
  int64_t size;
  int64_t capacity;
  char* data;
  DnMemInfo* buffer;
  int64_t itemsize;
} DnList;

/* A new list of `size` (uninitialised) elements into *out. */
int32_t dn_list_new(DnList** out, int64_t itemsize, int64_t size);
/* Room for at least `capacity` elements (growing geometrically; data may move). */
int32_t dn_list_reserve(DnList* l, int64_t capacity);
// Room for `appends` more elements in each iteration of a loop over
// range(start, stop, step), without raising: 1 when the list now has it, 0 when not (no
// error set). For reserve_list_appends.
int64_t dn_list_try_reserve(DnList* l, int64_t appends, int64_t start, int64_t stop, int64_t step);
/* Moves elements [at, size) by `count`: up (count > 0) making room for `count` new
 * elements at `at` (uninitialised), or down (count < 0) removing -count elements at `at`;
 * size changes by count. 0 <= at <= size; at - count <= size when removing. */
int32_t dn_list_shift(DnList* l, int64_t at, int64_t count);
/* l[start:stop:step] as a new list into *out; `bounds` is the slice {start, stop, step}
 * (a missing start or stop is INT64_MIN), adjusted as Python does. Step 0: ValueError. */
int32_t dn_list_slice(DnList** out, const DnList* l, const int64_t* bounds);
/* Sorts a list of scalars of DnDType `dtype` in place, stably as list.sort() does (reverse
 * keeps equal elements in their order too). NaNs compare as Python's do (never less). */
void dn_list_sort(DnList* l, int64_t dtype, int64_t reverse);
/* The same for a list of tuples of numbers and strs, compared as Python compares tuples
 * (the first field that differs decides); `fields` as a dict's key_fields. */
void dn_list_sort_fields(DnList* l, const int64_t* fields, int64_t reverse);

/* A dict, or a set (value_size 0), of fixed-size keys and values as compiled code holds
 * it: a hash table over entries kept in insertion order (as CPython's compact dict).
 * Entry k lies at entries + k * entry_size and is
 *   { int64_t hash; key (key_size bytes, rounded up to 8); value (value_size, rounded up to 8) }
 * with hash == DN_DICT_DELETED for a deleted entry. Functions hand out the address of an
 * entry's key; its value follows at dn_dict_value_offset(key_size) past the key. Keys are scalars or
 * tuples of scalars, described by `key_fields` = {count, is_tuple, dtype0, offset0, dtype1,
 * offset1, ...} (DnDType codes or DN_STR_FIELD, byte offsets in the key; at most DN_DICT_MAX_FIELDS) and
 * compared by value as Python compares them (0.0 == -0.0; a NaN equals a NaN of the same
 * bits, as the same object does); `value_fields` describes values the same way (count -1:
 * values that are not compared). Held by the thread's arena, like lists. Compiled code
 * reads `size` directly. `version` changes with every write (insert, store, delete, clear):
 * the bindings write a dict argument back only when it changed, and loops over a dict
 * detect a change of its size. */
#define DN_DICT_DELETED INT64_MIN
/* The field code of a str (a DnStr) in key_fields / value_fields, beside the DnDTypes. */
#define DN_STR_FIELD 100
#define DN_DICT_MAX_FIELDS 16
typedef struct DnDict {
  int64_t size;       /* live entries: len(d) */
  int64_t used;       /* entries written, deleted ones included: iteration stops here */
  char* entries;
  int64_t entry_size;
  int64_t key_size;
  int64_t value_size;
  int64_t version;
  /* The rest belongs to runtime/dicts.cpp: the index table and the field descriptors. */
  int64_t capacity;   /* entries there is room for */
  int64_t* index;     /* open addressing over entry numbers (the encoding is dicts.cpp's) */
  int64_t mask;       /* index slots - 1 (a power of two minus one) */
  DnMemInfo* entries_memory;
  DnMemInfo* index_memory;
  int64_t key_fields[2 + 2 * DN_DICT_MAX_FIELDS];
  int64_t value_fields[2 + 2 * DN_DICT_MAX_FIELDS];
} DnDict;

static inline int64_t dn_dict_value_offset(int64_t key_size) { return (key_size + 7) / 8 * 8; }

/* A new empty dict into *out, with room for `capacity` entries before it grows. */
int32_t dn_dict_new(DnDict** out, int64_t key_size, int64_t value_size, const int64_t* key_fields,
                    const int64_t* value_fields, int64_t capacity);
/* The number of the entry of `key` (its address: entries + number * entry_size), or -1
 * when there is none. */
int64_t dn_dict_lookup(DnDict* d, const void* key);
/* The number of the entry of `key` in *index_out, adding the key (its value zeroed) when
 * there is none; *added says which (1 added). Bumps version. */
int32_t dn_dict_insert(DnDict* d, const void* key, int64_t* index_out, int64_t* added);
/* The same for a dict whose keys are int64 (one field, not a tuple), the key by value: the
 * common case without a key slot in memory or a dispatch on the key's kind. */
int64_t dn_dict_lookup_int64(DnDict* d, int64_t key);
int32_t dn_dict_insert_int64(DnDict* d, int64_t key, int64_t* index_out);
/* Removes the entry of `key`, copying its value to value_out (when not null): 1, or 0
 * when there is none. */
int64_t dn_dict_remove(DnDict* d, const void* key, void* value_out);
/* Records KeyError(key) (the key's repr as its argument) and returns DN_KEY_ERROR. */
int32_t dn_dict_key_error(const DnDict* d, const void* key);
/* Removes the last entry, copying key and value out; KeyError 'popitem(): dictionary is
 * empty' (set: 'pop from an empty set') when empty. */
int32_t dn_dict_popitem(DnDict* d, void* key_out, void* value_out);
void dn_dict_clear(DnDict* d);
/* A copy (deleted entries dropped) into *out. */
int32_t dn_dict_copy(DnDict** out, const DnDict* d);
/* The key address of the first live entry at or after *position, which moves past it;
 * null at the end. */
char* dn_dict_next(const DnDict* d, int64_t* position);
/* Whether two dicts (sets) hold the same keys with equal values. */
int64_t dn_dict_equal(const DnDict* a, const DnDict* b);
/* Python's hash() of a key described by `fields` (as key_fields above): hash(int),
 * hash(float), hash(complex), the tuple hash of CPython 3.8+. */
int64_t dn_py_hash(const void* key, const int64_t* fields);
/* Set algebra: a | b (op 0), a & b (1), a - b (2), a ^ b (3) as a new set into *out, or
 * into `a` itself when in_place (a |= b ...; *out = a). */
int32_t dn_set_combine(DnDict** out, DnDict* a, const DnDict* b, int64_t op, int64_t in_place);
/* Bit 1: every key of a is in b (a <= b); bit 2: every key of b is in a. */
int64_t dn_set_relation(const DnDict* a, const DnDict* b);

/* RecursionError when the thread's stack has less than a safety margin left below
 * `frame` (an address in the caller's frame): compiled recursive functions check on entry,
 * so recursion too deep for the stack raises as Python does instead of crashing. */
int32_t dn_check_stack(const void* frame);

/* Pairwise combination of the block sums of a blocked float reduction: `levels` holds 64
 * doubles and `count` the number of blocks pushed so far (both start zeroed). */
void dn_pairwise_push(double* levels, int64_t* count, double block_sum);
double dn_pairwise_total(const double* levels, int64_t count);

/* np.dot / @ of 1-D/2-D float32 (dtype DN_FLOAT32) or float64 arrays: allocates the
 * result array into `out` (or writes the scalar there when both are 1-D). */
int32_t dn_matmul(const void* a, int64_t a_nd, const void* b, int64_t b_nd, void* out, int32_t dtype);
/* Registers the BLAS/LAPACK function `name` (ILP64: "dgemm", "sgemm", "dgemv", "sgemv"
 * of CBLAS, "dgesv", "dgetrf", "dpotrf", "dsyevd" of LAPACK; runtime/blas.h) at `fn`; null
 * keeps the loops (or, for LAPACK, raises). 0 when the name is one the runtime uses. */
int32_t dn_blas_register(const char* name, void* fn);

/* np.linalg of 2-D float32 (dtype DN_FLOAT32) or float64 arrays through LAPACK, each
 * result written through outs[k] (an array descriptor, allocated here, or a scalar):
 *   DN_LINALG_SOLVE    a, b (b_nd 1 or 2 dims): x with a @ x = b
 *   DN_LINALG_INV      a: its inverse            DN_LINALG_DET  a: the determinant
 *   DN_LINALG_SLOGDET  a: (sign, log|det|)       DN_LINALG_CHOLESKY  a: lower L, a = L L^H
 *   DN_LINALG_EIGVALSH a: eigenvalues, ascending DN_LINALG_EIGH  a: (eigenvalues, eigenvectors)
 *   DN_LINALG_EIGVALS  a: eigenvalues (geev)     DN_LINALG_EIG   a: (eigenvalues, right eigenvectors);
 *                      real ones only: complex eigenvalues raise (the dtype would follow the values)
 *   DN_LINALG_SVD      a (m x n): (u, s, vh), u m x m and vh n x n when b_nd is 1 (full_matrices),
 *                      else m x k and k x n (k = min(m, n)); s descending
 *   DN_LINALG_SVDVALS  a: s                      DN_LINALG_QR  a: (q, r), q m x k, r k x n
 * LinAlgError for singular, non-square and non-positive-definite matrices, as NumPy. */
enum {
  DN_LINALG_SOLVE = 0, DN_LINALG_INV = 1, DN_LINALG_DET = 2, DN_LINALG_SLOGDET = 3, DN_LINALG_CHOLESKY = 4,
  DN_LINALG_EIGVALSH = 5, DN_LINALG_EIGH = 6, DN_LINALG_SVD = 7, DN_LINALG_SVDVALS = 8, DN_LINALG_QR = 9,
  DN_LINALG_EIGVALS = 10, DN_LINALG_EIG = 11,
};
int32_t dn_linalg(int32_t op, const void* a, const void* b, int64_t b_nd, void* const* outs, int32_t dtype);

/* np.sort of a 1-D array `line` in place, np.argsort of one into a new int64 array `out`:
 * NumPy's order (NaNs last); `stable` for kind="stable"/"mergesort" (runtime/array_sort.cpp). */
int32_t dn_array_sort(void* line, int32_t dtype, int32_t stable);
int32_t dn_array_argsort(const void* line, int32_t dtype, int32_t stable, void* out);
/* NumPy's own sort (its SIMD sorts are several times std::sort's speed), which the bindings
 * register: sorts `line` in place, or with `indices` writes its argsort there. Nonzero: it
 * could not (the runtime sorts itself). Lines shorter than 256 never reach it. */
typedef int32_t (*DnSortHook)(void* line, int32_t dtype, int32_t stable, int64_t* indices);
void dn_set_sort_hook(DnSortHook hook);

/* Python semantics for float // (% is inline around fmod: lower_scalar.cpp), and integer power. */
double dn_py_floordiv_f64(double a, double b);
int64_t dn_int_pow(int64_t base, int64_t exp);
/* pow(base, exp, mod) of ints, as Python: ValueError for mod 0 and a base not invertible. */
int32_t dn_int_pow_mod(int64_t base, int64_t exp, int64_t mod, int64_t* out);
/* round(x, ndigits) of a float as Python computes it: correctly rounded to ndigits
 * decimal places (ties to even on the exact binary value). */
double dn_py_round(double x, int64_t ndigits);
/* Complex power as NumPy computes it (npy_cpow): exact products for integer exponents of
 * magnitude below 100, the C library's cpow otherwise. Each operand is {real, imag}. */
void dn_complex_pow(const double* a, const double* b, double* out);
/* NumPy's complex ufuncs that have a loop for complex128 (complex64 widens around it), by
 * name; dn_complex_func computes `out = f(z)` with the C library's complex functions.
 * rect is cmath.rect(r, phi) of z = {r, phi}, with CPython's special values. */
#define DN_COMPLEX_FUNCS(X) \
  X(sqrt) X(exp) X(log) X(log10) X(sin) X(cos) X(tan) X(sinh) X(cosh) X(tanh) \
  X(arcsin) X(arccos) X(arctan) X(arcsinh) X(arccosh) X(arctanh) \
  X(log2) X(exp2) X(log1p) X(expm1) X(rint) X(rect)
enum DnComplexFunc {
#define DN_COMPLEX_ENUM(name) DN_C_##name,
  DN_COMPLEX_FUNCS(DN_COMPLEX_ENUM)
#undef DN_COMPLEX_ENUM
};
void dn_complex_func(int32_t func, const double* z, double* out);

/* Parallel loops (runtime/parallel.cpp). A prange body outlined into a function of its own
 * runs iterations [lo, hi) of the loop as block number `block` and returns 0 or the
 * DnErrorCode it raised. */
typedef int32_t (*DnParallelBody)(void* context, int64_t lo, int64_t hi, int64_t block);
/* The most threads (and so blocks of one loop): reductions keep a result per block. */
#define DN_MAX_THREADS 256
/* Runs body over [0, n) on dn_get_num_threads() threads, each a contiguous block
 * (numbered 0, 1, ... in the loop's order; *blocks says how many ran); the first error a
 * block raised is this thread's error then, and its code the result. */
int32_t dn_parallel_for(DnParallelBody body, void* context, int64_t n, int64_t* blocks);
/* In a block of a parallel loop: waits until every block before this one has ended its
 * turn (0), or a block raised (1: the loop is failing). Blocks combine their private
 * results into shared memory so, in block order. Outside a parallel loop: 0 at once. */
int32_t dn_parallel_wait_turn(int64_t block);
void dn_parallel_end_turn(int64_t block);
int64_t dn_get_num_threads(void);
/* 0, or DN_VALUE_ERROR (recorded) for n outside 1..dn_max_threads(). */
int32_t dn_set_num_threads(int64_t n);
int64_t dn_max_threads(void);
/* The calling thread's number within a parallel loop (0 outside one). */
int64_t dn_get_thread_id(void);

/* np.random's legacy generator, one per thread (runtime/random.cpp): seed as
 * np.random.seed(s) (s in 0..2**32-1; negative: from entropy); a double in [0, 1); a standard normal (polar
 * method); an integer in [0, range], range read as unsigned. */
void dn_random_seed(int64_t seed);
double dn_random_double(void);
double dn_random_gauss(void);
int64_t dn_random_bounded(int64_t range);

/* A np.random.Generator's draws (runtime/numpy_generator.cpp): NumPy's distribution
 * function number `op` of python/dunnart/numpy_generator.py's tables, on the bitgen_t at
 * `bitgen`, with its double parameters a, b, c (x, y) and integer ones i, j, k. Registered
 * first: dn_generator_register looks up every function by name (null: found all; else the
 * name it could not find). */
const char* dn_generator_register(void* (*lookup)(const char* name, void* context), void* context);
double dn_generator_double(void* bitgen, int64_t op, double a, double b, double c);
int64_t dn_generator_int(void* bitgen, int64_t op, double x, double y, int64_t i, int64_t j, int64_t k);
/* Fills the C-contiguous 1-D array `out` (float64; int64 for the last op, integers off +
 * [0, rng]) with NumPy's fill function number `op`. */
void dn_generator_fill(void* bitgen, int64_t op, void* out, int64_t off, int64_t rng);

/* Every runtime function that compiled code calls, named once: the JIT defines exactly
 * these symbols (runtime/symbols.cpp), and code generation declares each one with the
 * prototype it deduces from its declaration above (jit/codegen/llvm/runtime_entries.cpp),
 * so no prototype is written twice. */
#define DN_RUNTIME_ENTRY_POINTS(X)                                                        \
  X(dn_set_error) X(dn_set_error_static) X(dn_set_error_shapes) X(dn_set_error_values) X(dn_array_new) X(dn_array_copy)                 \
  X(dn_pairwise_push) X(dn_pairwise_total) X(dn_matmul) X(dn_linalg) X(dn_array_sort) X(dn_array_argsort) X(dn_meminfo_incref)  \
  X(dn_meminfo_decref) X(dn_meminfo_release_data) X(dn_py_floordiv_f64) \
  X(dn_int_pow) X(dn_int_pow_mod) X(dn_complex_pow) X(dn_complex_func) X(dn_list_new) X(dn_list_reserve) X(dn_list_try_reserve)     \
  X(dn_list_shift) X(dn_list_slice) X(dn_list_sort) X(dn_list_sort_fields) X(dn_py_round) X(dn_set_error_repr)        \
  X(dn_dict_new) X(dn_dict_lookup) X(dn_dict_insert) X(dn_dict_remove) X(dn_dict_key_error)  \
  X(dn_dict_popitem) X(dn_dict_clear) X(dn_dict_copy) X(dn_dict_next) X(dn_dict_equal)      \
  X(dn_py_hash) X(dn_set_combine) X(dn_set_relation) X(dn_print_values) X(dn_check_stack) X(dn_dict_lookup_int64) X(dn_dict_insert_int64) X(dn_parallel_for) X(dn_parallel_wait_turn) X(dn_parallel_end_turn) X(dn_get_num_threads) X(dn_set_num_threads) X(dn_get_thread_id) \
  X(dn_random_seed) X(dn_random_double) X(dn_random_gauss) X(dn_random_bounded) X(dn_generator_double) X(dn_generator_int) X(dn_generator_fill) \
  X(dn_catch_error) X(dn_reraise_error) X(dn_exception_text) X(dn_str_equal) X(dn_str_compare) X(dn_str_find)     \
  X(dn_str_concat) X(dn_str_repeat) X(dn_str_getitem) X(dn_str_slice) X(dn_format_str)   \
  X(dn_str_affix) X(dn_str_search) X(dn_str_strip) X(dn_str_replace) X(dn_str_split) X(dn_str_join) X(dn_str_unicode) \
  X(dn_str_ord) X(dn_str_chr) X(dn_str_to_int) X(dn_str_to_float) X(dn_str_hash)

/* The entry points above that only read the memory their arguments point to and always
 * return: code generation tells LLVM so (a loop's invariant comparison runs once). */
#define DN_RUNTIME_READ_ONLY_ENTRY_POINTS(X) \
  X(dn_str_equal) X(dn_str_compare) X(dn_str_find) X(dn_str_affix) X(dn_str_search)

#ifdef __cplusplus
}
#endif
