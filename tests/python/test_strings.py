"""Issue 11, strings as values: str arguments and results, literals, ==, ordering, `in`,
+, *, len, truth, indexing and slicing (negative and stepped, non-ASCII too), str(x),
f-strings as values, print and raise of strs. Each function runs jitted and under CPython;
the outcomes (result, its types, or exception class and message) must be equal."""
import pytest

from dunnart import TypingError, njit

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
    with pytest.raises(TypingError, match="%-formatting is not compiled yet"):
        njit(percent)("%d", 1)
    with pytest.raises(TypingError, match="'<' is not supported between str and int"):
        njit(order_number)("a", 1)
