// runtime/dicts: the hash table behind compiled dicts and sets. Keys are found by value as
// Python finds them (0.0 is -0.0, a NaN of the same bits is itself, padding never counts),
// insertion order survives deletes and growth, hashes are CPython's, and errors carry the
// key's repr. The expected hashes are CPython 3.11's hash() of the same values.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "runtime/abi.h"

namespace {

// The key address of an entry, from the entry number the runtime hands out (null: none).
char* key_at(DnDict* d, int64_t e) { return e < 0 ? nullptr : d->entries + e * d->entry_size + 8; }
char* lookup_key(DnDict* d, const void* key) { return key_at(d, dn_dict_lookup(d, key)); }
int32_t insert_key(DnDict* d, const void* key, char** key_out, int64_t* added) {
  int64_t e = -1;
  int32_t status = dn_dict_insert(d, key, &e, added);
  if (!status && key_out) *key_out = key_at(d, e);
  return status;
}

// Frees what a test allocated, as the outermost call's end does.
struct ArenaScope {
  int64_t mark = dn_arena_mark();
  ~ArenaScope() { dn_arena_release(mark); }
};

const int64_t kInt64[] = {1, 0, DN_INT64, 0};
const int64_t kFloat64[] = {1, 0, DN_FLOAT64, 0};
const int64_t kNoFields[] = {0, 0};

DnDict* new_dict(const int64_t* key_fields, int64_t key_size, const int64_t* value_fields, int64_t value_size,
                 int64_t capacity = 0) {
  DnDict* d = nullptr;
  EXPECT_EQ(dn_dict_new(&d, key_size, value_size, key_fields, value_fields, capacity), 0);
  return d;
}
DnDict* int_dict() { return new_dict(kInt64, 8, kInt64, 8); }
DnDict* int_set() { return new_dict(kInt64, 8, kNoFields, 0); }

template <typename T>
T load(const void* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

int64_t* value_of(const DnDict* d, char* key) {
  return reinterpret_cast<int64_t*>(key + dn_dict_value_offset(d->key_size));
}

// d[k] = v; whether k was new.
bool store(DnDict* d, int64_t k, int64_t v) {
  char* key = nullptr;
  int64_t added = -1;
  EXPECT_EQ(insert_key(d, &k, &key, &added), 0);
  EXPECT_EQ(load<int64_t>(key), k);
  if (d->value_size) *value_of(d, key) = v;
  return added == 1;
}

void add(DnDict* s, std::initializer_list<int64_t> keys) {
  for (int64_t k : keys) store(s, k, 0);
}

// The int64 keys in iteration order.
std::vector<int64_t> keys_of(const DnDict* d) {
  std::vector<int64_t> keys;
  int64_t pos = 0;
  while (char* key = dn_dict_next(d, &pos)) keys.push_back(load<int64_t>(key));
  return keys;
}

struct Error {
  int32_t code;
  bool is_repr;
  std::string text;
};
Error take_error() {
  Error e;
  e.is_repr = dn_error_is_repr() != 0;
  char buf[256];
  e.code = dn_take_error(buf, sizeof buf);
  e.text = buf;
  return e;
}

}  // namespace

TEST(DictInt64, InsertLookupRemoveThroughGrowth) {
  ArenaScope arena;
  DnDict* d = int_dict();
  const int64_t n = 100000;
  auto key = [](int64_t k) { return k * 7919 - 50000 * 7919; };  // negative ones too
  for (int64_t k = 0; k < n; ++k) ASSERT_TRUE(store(d, key(k), k));
  EXPECT_EQ(d->size, n);
  for (int64_t k = 0; k < n; ++k) {
    int64_t kk = key(k);
    char* e = lookup_key(d, &kk);
    ASSERT_NE(e, nullptr) << k;
    ASSERT_EQ(*value_of(d, e), k);
  }
  int64_t absent = key(n);
  EXPECT_EQ(lookup_key(d, &absent), nullptr);
  EXPECT_FALSE(store(d, key(5), 55));  // an existing key is not added again
  EXPECT_EQ(d->size, n);
  for (int64_t k = 0; k < n; k += 3) {
    int64_t kk = key(k), value = -1;
    ASSERT_EQ(dn_dict_remove(d, &kk, &value), 1);
    ASSERT_EQ(value, k == 5 ? 55 : k);
    ASSERT_EQ(dn_dict_remove(d, &kk, nullptr), 0);
  }
  EXPECT_EQ(d->size, n - (n + 2) / 3);
  for (int64_t k = 0; k < n; ++k) {
    int64_t kk = key(k);
    char* e = lookup_key(d, &kk);
    if (k % 3 == 0) ASSERT_EQ(e, nullptr) << k;
    else ASSERT_TRUE(e && *value_of(d, e) == (k == 5 ? 55 : k)) << k;
  }
  for (int64_t k = 0; k < n; k += 3) ASSERT_TRUE(store(d, key(k), -k));
  EXPECT_EQ(d->size, n);
  for (int64_t k = 0; k < n; ++k) {
    int64_t kk = key(k);
    char* e = lookup_key(d, &kk);
    ASSERT_TRUE(e && *value_of(d, e) == (k % 3 == 0 ? -k : k == 5 ? 55 : k)) << k;
  }
}

TEST(DictInt64, RandomOperationsMatchAReference) {
  ArenaScope arena;
  DnDict* d = int_dict();
  std::map<int64_t, int64_t> ref;
  std::vector<int64_t> order;  // the reference's insertion order
  std::mt19937_64 rng(42);
  for (int step = 0; step < 200000; ++step) {
    // Keys from a small range (many hits), shifted by 2^40 so that the low bits are equal.
    int64_t k = int64_t(rng() % 3000) << 40;
    switch (rng() % 4) {
      case 0: case 1: {
        int64_t v = int64_t(rng());
        bool added = store(d, k, v);
        ASSERT_EQ(added, ref.count(k) == 0);
        if (added) order.push_back(k);
        ref[k] = v;
        break;
      }
      case 2: {
        int64_t v = 0;
        int64_t removed = dn_dict_remove(d, &k, &v);
        ASSERT_EQ(removed, int64_t(ref.count(k)));
        if (removed) {
          ASSERT_EQ(v, ref[k]);
          ref.erase(k);
          order.erase(std::find(order.begin(), order.end(), k));
        }
        break;
      }
      default: {
        char* e = lookup_key(d, &k);
        ASSERT_EQ(e != nullptr, ref.count(k) == 1);
        if (e) {
          ASSERT_EQ(*value_of(d, e), ref[k]);
        }
      }
    }
    ASSERT_EQ(d->size, int64_t(ref.size()));
  }
  EXPECT_EQ(keys_of(d), order);
}

TEST(DictOrder, InsertionOrderSurvivesDeletesAndGrowth) {
  ArenaScope arena;
  DnDict* d = int_dict();
  for (int64_t k = 0; k < 10; ++k) store(d, k, k);
  for (int64_t k : {3, 7, 9}) ASSERT_EQ(dn_dict_remove(d, &k, nullptr), 1);
  store(d, 3, 33);
  store(d, 5, 55);  // a store to an existing key keeps its place
  EXPECT_EQ(keys_of(d), (std::vector<int64_t>{0, 1, 2, 4, 5, 6, 8, 3}));
  // Through growth, which compacts away the deleted entries.
  std::vector<int64_t> expected = keys_of(d);
  for (int64_t k = 100; k < 1000; ++k) {
    store(d, k, k);
    expected.push_back(k);
    if (k % 2) {
      int64_t old = k - 1;
      dn_dict_remove(d, &old, nullptr);
      expected.erase(std::find(expected.begin(), expected.end(), old));
    }
  }
  EXPECT_EQ(keys_of(d), expected);
  int64_t three = 3;
  ASSERT_NE(lookup_key(d, &three), nullptr);
  EXPECT_EQ(*value_of(d, lookup_key(d, &three)), 33);
  // dn_dict_next moves past the entry it returns.
  int64_t pos = 0;
  char* first = dn_dict_next(d, &pos);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(load<int64_t>(first), 0);
  EXPECT_EQ(pos, 1);
}

TEST(DictTuple, KeysWithPaddingCompareByField) {
  ArenaScope arena;
  struct Key {
    int32_t a;
    int32_t pad;  // garbage here must not matter
    double b;
  };
  const int64_t fields[] = {2, 1, DN_INT32, 0, DN_FLOAT64, 8};
  DnDict* d = new_dict(fields, sizeof(Key), kInt64, 8);
  for (int32_t i = 0; i < 1000; ++i) {
    Key k{i, int32_t(0xAAAAAAAA) + i, i * 0.5};
    char* e;
    int64_t added;
    ASSERT_EQ(insert_key(d, &k, &e, &added), 0);
    ASSERT_EQ(added, 1);
    *value_of(d, e) = i;
  }
  for (int32_t i = 0; i < 1000; ++i) {
    Key k{i, 0x55555555 - i, i * 0.5};
    char* e = lookup_key(d, &k);
    ASSERT_NE(e, nullptr) << i;
    EXPECT_EQ(*value_of(d, e), i);
  }
  Key other{1, 0, 1.0};  // (1, 1.0) was never added: (1, 0.5) was
  EXPECT_EQ(lookup_key(d, &other), nullptr);
  Key minus{0, 7, -0.0};  // (0, -0.0) == (0, 0.0)
  EXPECT_NE(lookup_key(d, &minus), nullptr);
  EXPECT_EQ(d->size, 1000);
  Key probe{1, 123, 2.5};
  EXPECT_EQ(dn_py_hash(&probe, fields), 396935360214441795);  // hash((1, 2.5))
}

TEST(DictFloat, SignedZerosAndNaNs) {
  ArenaScope arena;
  DnDict* d = new_dict(kFloat64, 8, kInt64, 8);
  double zero = 0.0, minus_zero = -0.0, inf = INFINITY;
  char* e;
  int64_t added;
  ASSERT_EQ(insert_key(d, &zero, &e, &added), 0);
  EXPECT_EQ(added, 1);
  ASSERT_EQ(insert_key(d, &minus_zero, &e, &added), 0);
  EXPECT_EQ(added, 0);
  EXPECT_FALSE(std::signbit(load<double>(e)));  // the first key stays, as in Python
  EXPECT_NE(lookup_key(d, &minus_zero), nullptr);
  uint64_t nan_bits = 0x7ff8000000000000ull, other_bits = 0x7ff8000000000001ull;
  double nan, other_nan;
  std::memcpy(&nan, &nan_bits, 8);
  std::memcpy(&other_nan, &other_bits, 8);
  ASSERT_EQ(insert_key(d, &nan, &e, &added), 0);
  EXPECT_EQ(added, 1);
  EXPECT_NE(lookup_key(d, &nan), nullptr);        // the same object
  EXPECT_EQ(lookup_key(d, &other_nan), nullptr);  // another NaN
  EXPECT_EQ(lookup_key(d, &inf), nullptr);
  ASSERT_EQ(insert_key(d, &inf, &e, &added), 0);
  EXPECT_NE(lookup_key(d, &inf), nullptr);
  EXPECT_EQ(d->size, 3);
  for (int i = 0; i < 10000; ++i) {
    double x = i * 0.1;
    ASSERT_EQ(insert_key(d, &x, &e, &added), 0);
  }
  for (int i = 0; i < 10000; ++i) {
    double x = i * 0.1;
    ASSERT_NE(lookup_key(d, &x), nullptr);
  }
  EXPECT_EQ(d->size, 10000 + 2);  // 0.0 was there
}

TEST(DictHash, MatchesCPython) {
  auto h_i64 = [](int64_t v) { return dn_py_hash(&v, kInt64); };
  auto h_f64 = [](double v) { return dn_py_hash(&v, kFloat64); };
  EXPECT_EQ(h_i64(-1), -2);
  EXPECT_EQ(h_i64(-2), -2);
  EXPECT_EQ(h_i64(0), 0);
  EXPECT_EQ(h_i64(int64_t(1) << 61), 1);
  EXPECT_EQ(h_i64((int64_t(1) << 61) - 1), 0);
  EXPECT_EQ(h_i64(INT64_MIN), -4);
  EXPECT_EQ(h_i64(INT64_MAX), 3);
  const int64_t u64[] = {1, 0, DN_UINT64, 0};
  uint64_t umax = UINT64_MAX;
  EXPECT_EQ(dn_py_hash(&umax, u64), 7);
  const int64_t i8[] = {1, 0, DN_INT8, 0};
  int8_t m1 = -1;
  EXPECT_EQ(dn_py_hash(&m1, i8), -2);
  const int64_t b[] = {1, 0, DN_BOOL, 0};
  uint8_t t = 1;
  EXPECT_EQ(dn_py_hash(&t, b), 1);

  EXPECT_EQ(h_f64(1.5), 1152921504606846977);
  EXPECT_EQ(h_f64(-1.5), -1152921504606846977);
  EXPECT_EQ(h_f64(0.1), 230584300921369408);
  EXPECT_EQ(h_f64(1e300), 1224995262755759164);
  EXPECT_EQ(h_f64(5e-324), 16777216);
  EXPECT_EQ(h_f64(-0.0), 0);
  EXPECT_EQ(h_f64(2.0), 2);
  EXPECT_EQ(h_f64(-1.0), -2);
  EXPECT_EQ(h_f64(INFINITY), 314159);
  EXPECT_EQ(h_f64(-INFINITY), -314159);
  EXPECT_EQ(h_f64(NAN), 0);
  EXPECT_EQ(h_f64(1e-10), 2124533198426632172);
  EXPECT_EQ(h_f64(123456.789), 1819310134279660096);
  // Doubles of random bits, across the exponents.
  const std::pair<uint64_t, int64_t> random_doubles[] = {
      {0xf2a74de452e6b438ull, -186676878386779001ll}, {0x6513270e269e0d37ull, 990834034945637402ll},
      {0x0c5c7fd0a6a3a450ull, 1473954711139766438ll}, {0xd23f0824128b2f33ull, -432891481433879283ll},
      {0x1818e811892f902bull, 2179931349018882341ll}, {0x9531985d5d9dc9f8ull, -1153231042192727199ll},
      {0xe8e25d940ed90475ull, -2107725011859911176ll}, {0x36f675cc81e74ef5ull, 1077768457550040890ll},
      {0x1600a35a099950d8ull, 91958836954509313ll},   {0x6b0d549b6f03675aull, 1979361975641527590ll},
      {0x3d9c172411e20b8full, 1288605152204339488ll}, {0x8d116ece1738f7d9ull, -1130967654398522255ll},
      {0x0f21ddb66cad4a26ull, 1643133993295548893ll}, {0x90c192cfd3ac94afull, -745205302751612594ll},
      {0xf28c105d1fb17c23ull, -1891339186984829189ll}, {0xa170b33839263059ull, -100891677872402945ll},
      {0x953f48f1a09f76b5ull, -721126310810351467ll}, {0x0fd630f1f29d0da9ull, 1341243283538544527ll},
      {0x95e60af593bd04cfull, -794175916740863872ll}, {0x0cb1e29c658cda14ull, 491068300447914339ll},
      {0x3898d190f9ebdaccull, 1887605542744588312ll}, {0x8e81973e0becd7b0ull, -917028291682861060ll},
      {0x2217beaddbc496cbull, 1544415971494069743ll}, {0x6b4cb2424a23d596ull, 365331202400504073ll},
  };
  for (auto [bits, expected] : random_doubles) EXPECT_EQ(h_f64(load<double>(&bits)), expected) << std::hex << bits;
  const int64_t f32[] = {1, 0, DN_FLOAT32, 0};
  float tenth = 0.1f;
  EXPECT_EQ(dn_py_hash(&tenth, f32), 230584304357343232);  // hash(float(np.float32(0.1)))

  const int64_t c128[] = {1, 0, DN_COMPLEX128, 0};
  double c1[] = {1, 2}, c2[] = {1.5, -2.25};
  EXPECT_EQ(dn_py_hash(c1, c128), 2000007);
  EXPECT_EQ(dn_py_hash(c2, c128), -576460752305423493);

  const int64_t pair[] = {2, 1, DN_INT64, 0, DN_INT64, 8};
  int64_t one_two[] = {1, 2};
  EXPECT_EQ(dn_py_hash(one_two, pair), -3550055125485641917);
  const int64_t empty[] = {0, 1};
  EXPECT_EQ(dn_py_hash(nullptr, empty), 5740354900026072187);
  const int64_t single[] = {1, 1, DN_INT64, 0};
  int64_t three = 3;
  EXPECT_EQ(dn_py_hash(&three, single), -5029647727744300836);
  const int64_t bool_int[] = {2, 1, DN_BOOL, 0, DN_INT64, 8};
  char bi[16] = {};
  bi[0] = 1;
  int64_t minus_one = -1;
  std::memcpy(bi + 8, &minus_one, 8);
  EXPECT_EQ(dn_py_hash(bi, bool_int), -6779188579744246035);
  const int64_t mixed[] = {3, 1, DN_INT64, 0, DN_FLOAT64, 8, DN_INT32, 16};
  char m[24] = {};
  int64_t big = INT64_MAX;
  double point_one = 0.1;
  int32_t minus_seven = -7;
  std::memcpy(m, &big, 8);
  std::memcpy(m + 8, &point_one, 8);
  std::memcpy(m + 16, &minus_seven, 4);
  EXPECT_EQ(dn_py_hash(m, mixed), 7621677484110373871);
}

TEST(DictKeyError, CarriesTheKeysRepr) {
  ArenaScope arena;
  auto key_error = [](const int64_t* fields, int64_t key_size, const void* key) {
    DnDict* d = new_dict(fields, key_size, kInt64, 8);
    EXPECT_EQ(dn_dict_key_error(d, key), DN_KEY_ERROR);
    Error e = take_error();
    EXPECT_EQ(e.code, DN_KEY_ERROR);
    EXPECT_TRUE(e.is_repr);
    return e.text;
  };
  int64_t five = 5;
  double x = 1.5, nan = NAN, inf = INFINITY, minus_inf = -INFINITY, big = 1e16;
  EXPECT_EQ(key_error(kInt64, 8, &five), "5");
  EXPECT_EQ(key_error(kFloat64, 8, &x), "1.5");
  EXPECT_EQ(key_error(kFloat64, 8, &nan), "nan");
  EXPECT_EQ(key_error(kFloat64, 8, &inf), "inf");
  EXPECT_EQ(key_error(kFloat64, 8, &minus_inf), "-inf");
  EXPECT_EQ(key_error(kFloat64, 8, &big), "1e+16");
  struct {
    int32_t a;
    double b;
  } pair{1, 2.5};
  const int64_t pair_fields[] = {2, 1, DN_INT32, 0, DN_FLOAT64, 8};
  EXPECT_EQ(key_error(pair_fields, 16, &pair), "(1, 2.5)");
  const int64_t single[] = {1, 1, DN_INT64, 0};
  int64_t three = 3;
  EXPECT_EQ(key_error(single, 8, &three), "(3,)");
  const int64_t empty[] = {0, 1};
  EXPECT_EQ(key_error(empty, 0, nullptr), "()");
  const int64_t b[] = {1, 0, DN_BOOL, 0};
  uint8_t t = 1, f = 0;
  EXPECT_EQ(key_error(b, 1, &t), "True");
  EXPECT_EQ(key_error(b, 1, &f), "False");
  const int64_t c128[] = {1, 0, DN_COMPLEX128, 0};
  double c[] = {1, 2}, imag[] = {0, 2}, neg[] = {-0.0, -1.5}, cnan[] = {1, NAN};
  EXPECT_EQ(key_error(c128, 16, c), "(1+2j)");
  EXPECT_EQ(key_error(c128, 16, imag), "2j");
  EXPECT_EQ(key_error(c128, 16, neg), "(-0-1.5j)");
  EXPECT_EQ(key_error(c128, 16, cnan), "(1+nanj)");
  const int64_t c64[] = {1, 0, DN_COMPLEX64, 0};
  float cf[] = {0.1f, 0.2f};
  EXPECT_EQ(key_error(c64, 8, cf), "(0.1+0.2j)");
  const int64_t f32[] = {1, 0, DN_FLOAT32, 0};
  float tenth = 0.1f, million = 1e6f, third = 1.0f / 3;
  EXPECT_EQ(key_error(f32, 4, &tenth), "0.1");
  EXPECT_EQ(key_error(f32, 4, &million), "1e+06");
  EXPECT_EQ(key_error(f32, 4, &third), "0.33333334");
  const int64_t u64[] = {1, 0, DN_UINT64, 0};
  uint64_t umax = UINT64_MAX;
  EXPECT_EQ(key_error(u64, 8, &umax), "18446744073709551615");
  const int64_t i8[] = {1, 0, DN_INT8, 0};
  int8_t m = -128;
  EXPECT_EQ(key_error(i8, 1, &m), "-128");
}

TEST(DictPopitem, LastInFirstOutAndEmptyErrors) {
  ArenaScope arena;
  DnDict* d = int_dict();
  for (int64_t k = 1; k <= 5; ++k) store(d, k, 10 * k);
  int64_t four = 4;
  dn_dict_remove(d, &four, nullptr);
  int64_t key = 0, value = 0;
  ASSERT_EQ(dn_dict_popitem(d, &key, &value), 0);
  EXPECT_EQ(key, 5);
  EXPECT_EQ(value, 50);
  ASSERT_EQ(dn_dict_popitem(d, &key, &value), 0);  // 4 was deleted
  EXPECT_EQ(key, 3);
  EXPECT_EQ(value, 30);
  store(d, 9, 90);
  ASSERT_EQ(dn_dict_popitem(d, &key, &value), 0);
  EXPECT_EQ(key, 9);
  EXPECT_EQ(keys_of(d), (std::vector<int64_t>{1, 2}));
  ASSERT_EQ(dn_dict_popitem(d, &key, &value), 0);
  ASSERT_EQ(dn_dict_popitem(d, &key, &value), 0);
  EXPECT_EQ(key, 1);
  EXPECT_EQ(d->size, 0);
  EXPECT_EQ(dn_dict_popitem(d, &key, &value), DN_KEY_ERROR);
  Error e = take_error();
  EXPECT_EQ(e.code, DN_KEY_ERROR);
  EXPECT_TRUE(e.is_repr);
  EXPECT_EQ(e.text, "'popitem(): dictionary is empty'");

  DnDict* s = int_set();
  add(s, {7, 8});
  ASSERT_EQ(dn_dict_popitem(s, &key, nullptr), 0);
  EXPECT_EQ(key, 8);
  ASSERT_EQ(dn_dict_popitem(s, &key, nullptr), 0);
  EXPECT_EQ(dn_dict_popitem(s, &key, nullptr), DN_KEY_ERROR);
  e = take_error();
  EXPECT_EQ(e.text, "'pop from an empty set'");
  EXPECT_TRUE(e.is_repr);

  // A loop of pops over a large dict stays fast (no scan over deleted entries) and exact.
  DnDict* big = int_dict();
  for (int64_t k = 0; k < 100000; ++k) store(big, k, k);
  for (int64_t k = 99999; k >= 0; --k) {
    ASSERT_EQ(dn_dict_popitem(big, &key, &value), 0);
    ASSERT_EQ(key, k);
  }
  EXPECT_EQ(big->size, 0);
}

TEST(DictCopy, KeepsOrderAndIsIndependent) {
  ArenaScope arena;
  DnDict* d = int_dict();
  for (int64_t k = 0; k < 100; ++k) store(d, k, k * k);
  for (int64_t k = 0; k < 100; k += 7) dn_dict_remove(d, &k, nullptr);
  DnDict* c = nullptr;
  ASSERT_EQ(dn_dict_copy(&c, d), 0);
  EXPECT_EQ(keys_of(c), keys_of(d));
  EXPECT_EQ(c->size, d->size);
  EXPECT_EQ(c->used, c->size);  // deleted entries dropped
  for (int64_t k = 0; k < 100; ++k) {
    char* e = lookup_key(c, &k);
    ASSERT_EQ(e != nullptr, k % 7 != 0);
    if (e) {
      ASSERT_EQ(*value_of(c, e), k * k);
    }
  }
  EXPECT_EQ(dn_dict_equal(c, d), 1);
  store(c, 1000, 1);
  int64_t one = 1;
  *value_of(c, lookup_key(c, &one)) = -1;
  int64_t k1000 = 1000;
  EXPECT_EQ(lookup_key(d, &k1000), nullptr);
  EXPECT_EQ(*value_of(d, lookup_key(d, &one)), 1);
  for (int64_t k = 2000; k < 3000; ++k) store(c, k, k);  // the copy grows on its own
  EXPECT_EQ(c->size, d->size + 1001);
}

TEST(DictEqual, ComparesKeysAndValues) {
  ArenaScope arena;
  DnDict* a = int_dict();
  DnDict* b = int_dict();
  for (int64_t k = 0; k < 50; ++k) store(a, k, k);
  for (int64_t k = 49; k >= 0; --k) store(b, k, k);
  EXPECT_EQ(dn_dict_equal(a, b), 1);  // order does not matter
  store(b, 10, 11);
  EXPECT_EQ(dn_dict_equal(a, b), 0);
  store(b, 10, 10);
  store(b, 50, 50);
  EXPECT_EQ(dn_dict_equal(a, b), 0);
  int64_t fifty = 50, zero = 0;
  dn_dict_remove(b, &fifty, nullptr);
  EXPECT_EQ(dn_dict_equal(a, b), 1);
  dn_dict_remove(b, &zero, nullptr);
  store(b, 100, 0);  // same size, another key
  EXPECT_EQ(dn_dict_equal(a, b), 0);

  // Float values: 0.0 == -0.0.
  DnDict* fa = new_dict(kInt64, 8, kFloat64, 8);
  DnDict* fb = new_dict(kInt64, 8, kFloat64, 8);
  int64_t key = 1;
  char* e;
  int64_t added;
  insert_key(fa, &key, &e, &added);
  *reinterpret_cast<double*>(e + 8) = 0.0;
  insert_key(fb, &key, &e, &added);
  *reinterpret_cast<double*>(e + 8) = -0.0;
  EXPECT_EQ(dn_dict_equal(fa, fb), 1);
  *reinterpret_cast<double*>(e + 8) = 1.0;
  EXPECT_EQ(dn_dict_equal(fa, fb), 0);

  // Values that are not compared (count -1): keys only.
  const int64_t opaque[] = {-1, 0};
  DnDict* oa = new_dict(kInt64, 8, opaque, 8);
  DnDict* ob = new_dict(kInt64, 8, opaque, 8);
  store(oa, 1, 1);
  store(ob, 1, 2);
  EXPECT_EQ(dn_dict_equal(oa, ob), 1);

  DnDict* s = int_set();
  DnDict* t = int_set();
  add(s, {1, 2, 3});
  add(t, {3, 2, 1});
  EXPECT_EQ(dn_dict_equal(s, t), 1);
  add(t, {4});
  EXPECT_EQ(dn_dict_equal(s, t), 0);
}

TEST(DictSet, CombineAllOperations) {
  ArenaScope arena;
  auto make = [](std::initializer_list<int64_t> keys) {
    DnDict* s = int_set();
    add(s, keys);
    return s;
  };
  const std::vector<int64_t> expected[] = {{1, 2, 3, 4, 5, 6}, {3, 4}, {1, 2}, {1, 2, 5, 6}};
  for (int64_t op = 0; op < 4; ++op) {
    DnDict* a = make({1, 2, 3, 4});
    DnDict* b = make({3, 4, 5, 6});
    DnDict* r = nullptr;
    ASSERT_EQ(dn_set_combine(&r, a, b, op, 0), 0);
    EXPECT_NE(r, a);
    EXPECT_EQ(keys_of(r), expected[op]) << "op " << op;
    EXPECT_EQ(r->size, int64_t(expected[op].size()));
    EXPECT_EQ(keys_of(a), (std::vector<int64_t>{1, 2, 3, 4}));  // a unchanged
    for (int64_t k : expected[op]) EXPECT_NE(lookup_key(r, &k), nullptr);

    int64_t version = a->version;
    ASSERT_EQ(dn_set_combine(&r, a, b, op, 1), 0);
    EXPECT_EQ(r, a);
    EXPECT_NE(a->version, version);
    EXPECT_EQ(keys_of(a), expected[op]) << "in place, op " << op;
    EXPECT_EQ(a->size, int64_t(expected[op].size()));
    for (int64_t k : expected[op]) EXPECT_NE(lookup_key(a, &k), nullptr);
    for (int64_t k : {1, 2, 3, 4, 5, 6})
      if (std::find(expected[op].begin(), expected[op].end(), k) == expected[op].end()) {
        EXPECT_EQ(lookup_key(a, &k), nullptr) << "op " << op << " key " << k;
      }
    EXPECT_EQ(keys_of(b), (std::vector<int64_t>{3, 4, 5, 6}));
  }
  // With itself: s |= s and s &= s keep s; s -= s and s ^= s empty it.
  for (int64_t op = 0; op < 4; ++op) {
    DnDict* s = make({1, 2, 3});
    DnDict* r = nullptr;
    ASSERT_EQ(dn_set_combine(&r, s, s, op, 1), 0);
    EXPECT_EQ(s->size, op < 2 ? 3 : 0);
  }
  // Large sets, through growth.
  DnDict* a = int_set();
  DnDict* b = int_set();
  for (int64_t k = 0; k < 20000; ++k) add(a, {2 * k});
  for (int64_t k = 0; k < 20000; ++k) add(b, {3 * k});
  const int64_t sizes[] = {20000 + 20000 - 6667, 6667, 20000 - 6667, 40000 - 2 * 6667};
  for (int64_t op = 0; op < 4; ++op) {
    DnDict* r = nullptr;
    ASSERT_EQ(dn_set_combine(&r, a, b, op, 0), 0);
    EXPECT_EQ(r->size, sizes[op]) << op;
  }
}

TEST(DictSet, Relation) {
  ArenaScope arena;
  DnDict* a = int_set();
  DnDict* b = int_set();
  DnDict* empty = int_set();
  add(a, {1, 2});
  add(b, {3, 2, 1});
  EXPECT_EQ(dn_set_relation(a, b), 1);
  EXPECT_EQ(dn_set_relation(b, a), 2);
  EXPECT_EQ(dn_set_relation(a, a), 3);
  EXPECT_EQ(dn_set_relation(empty, a), 1);
  EXPECT_EQ(dn_set_relation(empty, empty), 3);
  add(a, {4});
  EXPECT_EQ(dn_set_relation(a, b), 0);  // same size 3, neither within the other
}

TEST(DictVersion, ChangesWithEveryWrite) {
  ArenaScope arena;
  DnDict* d = int_dict();
  int64_t v = d->version;
  auto changed = [&] {
    bool c = d->version != v;
    v = d->version;
    return c;
  };
  store(d, 1, 1);
  EXPECT_TRUE(changed());
  store(d, 1, 2);  // a store to an existing key
  EXPECT_TRUE(changed());
  int64_t one = 1, two = 2;
  lookup_key(d, &one);
  EXPECT_FALSE(changed());
  dn_dict_remove(d, &two, nullptr);
  EXPECT_FALSE(changed());
  dn_dict_remove(d, &one, nullptr);
  EXPECT_TRUE(changed());
  store(d, 1, 1);
  changed();
  int64_t k, val;
  dn_dict_popitem(d, &k, &val);
  EXPECT_TRUE(changed());
  dn_dict_clear(d);
  EXPECT_TRUE(changed());
  EXPECT_EQ(d->size, 0);
  int64_t pos = 0;
  EXPECT_EQ(dn_dict_next(d, &pos), nullptr);
  store(d, 5, 5);
  EXPECT_EQ(keys_of(d), (std::vector<int64_t>{5}));
}

TEST(DictTiming, Int64InsertThenLookup) {
  // A printout, not an assertion: the benchmark's shape (10^5 int64 keys inserted, then
  // all looked up), for sequential, strided and random keys.
  const int64_t n = 100000;
  std::mt19937_64 rng(1);
  std::vector<int64_t> random_keys(n);
  for (auto& k : random_keys) k = int64_t(rng());
  for (int pattern = 0; pattern < 3; ++pattern) {
    auto key = [&](int64_t i) { return pattern == 0 ? i : pattern == 1 ? i << 20 : random_keys[size_t(i)]; };
    double best_insert = 1e30, best_lookup = 1e30;
    for (int rep = 0; rep < 10; ++rep) {
      ArenaScope arena;
      DnDict* d = int_dict();
      auto t0 = std::chrono::steady_clock::now();
      for (int64_t i = 0; i < n; ++i) {
        int64_t k = key(i);
        char* e;
        int64_t added;
        insert_key(d, &k, &e, &added);
        *value_of(d, e) = i;
      }
      auto t1 = std::chrono::steady_clock::now();
      int64_t sum = 0;
      for (int64_t i = 0; i < n; ++i) {
        int64_t k = key(i);
        sum += *value_of(d, lookup_key(d, &k));
      }
      auto t2 = std::chrono::steady_clock::now();
      ASSERT_EQ(sum, n * (n - 1) / 2);
      best_insert = std::min(best_insert, std::chrono::duration<double, std::nano>(t1 - t0).count() / double(n));
      best_lookup = std::min(best_lookup, std::chrono::duration<double, std::nano>(t2 - t1).count() / double(n));
    }
    std::printf("[dict timing] %s int64 keys: insert %.1f ns/op, lookup %.1f ns/op\n",
                pattern == 0 ? "sequential" : pattern == 1 ? "i << 20" : "random", best_insert, best_lookup);
  }
}
