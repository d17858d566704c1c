"""Issue 11, strings as values: str arguments and results, literals, ==, ordering, `in`,
+, *, len, truth, indexing and slicing (negative and stepped, non-ASCII too), str(x),
f-strings as values, print and raise of strs. Each function runs jitted and under CPython;
the outcomes (result, its types, or exception class and message) must be equal."""
import pytest

from dunnart import TypingError, UnsupportedError, njit

from python_outcome import same


def by_method(method, x):
    if method == "linear":
        return x * 2.0
    elif method == "square":
        return x * x
    raise ValueError(f"unknown method {method!r}")


def operators(s, t):
    return s + t, s * 2, 3 * t, len(s), t in s, t not in s, s < t, s >= t, s == t, s != t


def items(s):
    return s[0], s[-1], s[1:3], s[::-1], s[::2], s[-2:], s[5:1]


def item(s, i):
    return s[i]


def concatenate_in_a_loop(n):
    s = ""
    for i in range(n):
        s = s + str(i) + ","
    return s


def formats(x, name):
    return f"{name}={x:.3f}", f"[{name:>6}]", f"{name!r}", str(x), str(7), str(True), str()


def truth(s):
    return bool(s), not s, "yes" if s else "no"


def mixed_equality(s, x):
    return s == x, s != x


def searches(s, x):
    return s.startswith(x), s.endswith(x), s.find(x), s.rfind(x), s.count(x)


def cleans(s):
    return (s.strip(), s.lstrip(), s.rstrip(), s.strip("x "), s.split(), s.upper(), s.lower(), s.title(),
            s.capitalize(), s.swapcase(), s.isdigit(), s.isalpha(), s.isspace(), s.isalnum(), s.isupper(),
            s.islower())


def splits(s, sep):
    return s.split(sep), sep.join(s.split(sep)), s.replace(sep, "+"), s.replace("", "-")


def index_of(s, x):
    return s.index(x)


def parse_fields(line):
    # The shape of real code: split a record, clean each field, test and measure it.
    total = 0
    names = []
    for field in line.split(","):
        f = field.strip()
        if f.isdigit():
            total += len(f)
        elif f:
            names.append(f.upper())
    return total, names


def words(s):
    out = []
    for w in s.split():
        out.append(w.upper())
    return out, len(out), out[0], out[-1], "B" in out, out == ["A", "B"], out.index("B"), out.count("A")


def exclaim(names):
    return [n + "!" for n in names]


def grows(names):
    names.append("new")
    names[0] = names[0] + "?"
    return len(names)


def vowels(s):
    n = 0
    out = []
    for c in s:
        if c in "aeiou":
            n += 1
        out.append(c)
    return n, out


def over_characters(s, t):
    r = ""
    for i, c in enumerate(s):
        r = r + c * i
    for c in reversed(t):
        r += c
    return r, [a + b for a, b in zip(s, t)], [c.upper() for c in s], sum(1 for c in s if c == "a"), list(s)


def word_counts(text):
    counts = {}
    for w in text.split():
        counts[w] = counts.get(w, 0) + 1
    return counts


def lookup(d, k):
    return d[k]


def distinct(s):
    u = set(s.split())
    return len(u), "a" in u, u


def names_by_index(names):
    d = {}
    for i, n in enumerate(names):
        d[i] = n
    return d


def adds_a_key(d):
    d["new"] = 3
    return len(d)


def prints(s, n):
    print(s, n, f"<{s}>")


@pytest.mark.parametrize("fn,args", [
    (by_method, ("linear", 3.0)), (by_method, ("square", 3.0)), (by_method, ("cubic", 3.0)),
    (operators, ("hello", "ll")), (operators, ("ab", "b")), (operators, ("héllo", "é")),
    (operators, ("日本", "本")), (operators, ("", "")),
    (items, ("abcdefg",)), (items, ("αβγδεζ",)), (items, ("a😀bcdef",)),
    (item, ("abc", 5)), (item, ("abc", -4)), (item, ("abc", -3)),
    (concatenate_in_a_loop, (5,)), (concatenate_in_a_loop, (0,)),
    (formats, (3.14159, "pi")), (formats, (-2.0, "ü")),
    (truth, ("",)), (truth, ("x",)),
    (mixed_equality, ("1", 1)),
    (searches, ("abcab", "ab")), (searches, ("abc", "")), (searches, ("ééa", "é")),
    (cleans, ("  Hello world x ",)), (cleans, (" Straße ÉTÉ ",)), (cleans, ("123",)), (cleans, ("",)),
    (cleans, ("ABC",)), (cleans, ("\t\n",)),
    (splits, ("a,b,,c", ",")), (splits, ("a,b", "")), (splits, ("αβγ", "β")),
    (index_of, ("abc", "c")), (index_of, ("abc", "z")),
    (parse_fields, ("1, 22,x, 333, név ,",)),
    (vowels, ("education é",)), (vowels, ("",)), (over_characters, ("banana", "xyz")),
    (words, ("b a",)),
    (word_counts, ("a b a c b a é",)), (lookup, ({"x": 1.0, "y": 2.0}, "y")), (lookup, ({"x": 1.0}, "z")),
    (lookup, ({("a", 1): 5}, ("a", 1))), (distinct, ("a b a",)), (names_by_index, (["p", "q"],)),
    (adds_a_key, ({"x": 1},)), (exclaim, (["x", "yy", "ü"],)), (grows, (["x", "y"],)),
])
def test_same_as_python(fn, args):
    same(fn, *args)


def test_print_writes_the_text(capsys):
    njit(prints)("héllo", 3)
    jitted = capsys.readouterr().out
    prints("héllo", 3)
    assert jitted == capsys.readouterr().out == "héllo 3 <héllo>\n"


def test_results_are_python_strs_of_the_narrowest_kind():
    r = njit(items)("a😀bcdef")
    assert r == items("a😀bcdef")
    assert all(type(x) is str for x in r)
    # A slice of a wide str that holds only ASCII is an ASCII str, as CPython makes it.
    assert njit(item)("😀ab", 1).isascii()


def test_strs_between_jitted_functions():
    @njit
    def greet(name):
        return "hello " + name

    @njit
    def caller(names_first, last):
        return greet(names_first) + " " + last

    assert caller("Ada", "Lovelace") == "hello Ada Lovelace"


def test_bad_operations_are_typing_errors_that_say_what_to_write():
    def add_number(s, n):
        return s + n

    def percent(s, n):
        return s % n

    def order_number(s, n):
        return s < n

    with pytest.raises(TypingError, match=r"unsupported operand types for \+: str and int"):
        njit(add_number)("a", 1)
    with pytest.raises(UnsupportedError, match="%-formatting with a format computed at run time"):
        njit(percent)("%d", 1)
    with pytest.raises(TypingError, match="'<' is not supported between str and int"):
        njit(order_number)("a", 1)


def sort_words(s):
    l = s.split()
    l.sort()
    r = s.split()
    r.sort(reverse=True)
    return l, r, sorted(s.split()), sorted(s.split(), reverse=True)


def extremes(s):
    words = s.split()
    return min(words), max(words), min(words[0], words[-1]), max("b", words[0], "a")


@pytest.mark.parametrize("text", ["pear apple Zed \u00e4pfel apple_pie", "b a", "x", "a a b b",
                                  "\u03b2 \u03b1 \U0001F600 z"])
def test_sorting_and_min_max_of_strs_by_code_points(text):
    same(sort_words, text)
    same(extremes, text)


def test_min_of_no_strs_is_pythons_value_error():
    same(lambda s: min(s.split()), "   ")


def test_what_lists_of_strs_do_not_do_yet_is_refused_clearly():
    def sorted_chars(s):
        return sorted(s)

    def summed(s):
        return sum(s)

    same(sorted_chars, "ba")     # its characters, as a list
    same(lambda s: (min(s), max(s), any(s), all(s), sorted(s, reverse=True)), "h\u00e9llo")
    same(lambda s: max(s), "")   # ValueError: an empty sequence
    same(lambda t, n: (sorted(t), sorted(range(n, 0, -2))), (3, 1, 2), 7)
    with pytest.raises(TypingError, match="unsupported operand type\\(s\\) for \\+: 'int' and 'str'"):
        njit(summed)("ba")


def test_hash_of_a_str_is_pythons_own():
    # CPython salts a str's hash per process: compiled code asks Python for it.
    def h(s):
        return hash(s), hash(s + "!"), hash((1, 2))
    for s in ("a", "", "h\u00e9llo", "\U0001F600"):
        same(h, s)


def prints_tuples_and_separators(s, sep, end):
    print(("a", 1))
    print((s, 2.5))
    print(s, "lit", sep="|")
    print(f"{s!r:>8}|{s:<4}|")
    print(1, 2, sep=sep, end=end)
    print("done", end="")
    print()


def test_print_of_strs_in_tuples_and_run_time_separators(capsys):
    args = ("x'y", "--", "!\n")
    njit(prints_tuples_and_separators)(*args)
    jitted = capsys.readouterr().out
    prints_tuples_and_separators(*args)
    assert jitted == capsys.readouterr().out


def parse_int(s):
    return int(s)


def parse_float(s):
    return float(s)


def characters(s):
    return [ord(c) for c in s], chr(ord(s[0]) + 1), chr(0x3b1) + chr(0x1F600)


@pytest.mark.parametrize("text", ["12", " -7 ", "+0", "1_000", "007", "9223372036854775807",
                                  "-9223372036854775808", "", " ", "1.5", "abc", "0x10", "1__0",
                                  "_1", "1_", "--1", "+", "١٢", " ١٢x"])
def test_int_of_a_str_reads_pythons_grammar(text):
    same(parse_int, text)


@pytest.mark.parametrize("text", ["1.5", " -2.5e-3 ", "5.", ".5", "1e5", "1E+5", "1_0.2_5", "inf",
                                  "-Infinity", "nan", "+NaN", "1e400", "", "e5", "1e", "0x10",
                                  "1._5", "nan(1)", "1.5.5", "abc", "١.٥", "١x"])
def test_float_of_a_str_reads_pythons_grammar(text):
    got = njit(parse_float)
    try:
        want = parse_float(text)
    except ValueError as e:
        with pytest.raises(ValueError, match=__import__("re").escape(str(e))):
            got(text)
        return
    r = got(text)
    assert type(r) is float and (r == want or (r != r and want != want))


def test_ord_and_chr():
    same(characters, "abc")
    same(characters, "αβ")
    same(lambda s: ord(s), "ab")         # TypeError: ord() expected a character
    same(lambda i: chr(i), -1)           # ValueError: chr() arg not in range(0x110000)
    same(lambda i: chr(i), 0x110000)


def test_str_to_number_conversions_it_refuses_say_what_to_write():
    import numpy as np
    with pytest.raises(UnsupportedError, match=r"np.int32\(int\(s\)\)"):
        njit(lambda s: np.int32(s))("5")
    with pytest.raises(TypingError, match=r"ord\(\) expected a str"):
        njit(lambda i: ord(i))(5)


def searches_within(s, sub, a, b):
    return (s.find(sub, a), s.find(sub, a, b), s.rfind(sub, a, b), s.count(sub, a, b),
            s.startswith(sub, a), s.startswith(sub, a, b), s.endswith(sub, a, b), s.find(sub, None, b))


@pytest.mark.parametrize("s", ["abcabc", "", "aaaa", "\u03b1\u03b2\u03b3\u03b1\u03b2"])
@pytest.mark.parametrize("sub", ["", "a", "bc", "aa", "\u03b1\u03b2"])
def test_search_methods_within_start_and_end(s, sub):
    f = njit(searches_within)
    for a in (-10, -3, -1, 0, 1, 2, 5, 6, 100):
        for b in (-10, -1, 0, 2, 5, 6, 100):
            assert f(s, sub, a, b) == searches_within(s, sub, a, b), (s, sub, a, b)


def test_index_within_bounds_raises_as_python():
    same(lambda s: s.index("c", 1, 3), "abcabc")
    same(lambda s: s.index("c", 3, 4), "abcabc")   # ValueError: substring not found
    with pytest.raises(TypingError, match="slice indices must be integers or None"):
        njit(lambda s: s.find("a", 1.5))("abc")


def split_at_most(s, k):
    return s.split(",", k), s.split(None, k), s.split(" ", k)


@pytest.mark.parametrize("text", ["a,b,,c", "  a b  c  ", "", "one", " x , y ,z ", "\u03b1 \u03b2,\u03b3"])
@pytest.mark.parametrize("k", [-1, 0, 1, 2, 10])
def test_split_with_maxsplit(text, k):
    same(split_at_most, text, k)


def fstring_or_constant(n, c):
    s = f"n={n}" if c else "x"
    return s


def fstring_assigned_in_a_branch(n):
    s = "neg"
    if n > 0:
        s = f"pos {n:.1f}"
    return s + "!"


@pytest.mark.parametrize("fn, args", [
    (fstring_or_constant, (3, True)), (fstring_or_constant, (3, False)),
    (fstring_assigned_in_a_branch, (2,)), (fstring_assigned_in_a_branch, (-2,)),
])
def test_fstring_merged_with_another_str(fn, args):
    # Regression: an f-string reaching a phi came out as its template text ("n={}").
    same(fn, *args)
