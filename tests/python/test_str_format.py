"""Issue 11, str.format of a literal format (`"{} and {:.2f}".format(x, y)`): the format read
while compiling into the f-string the runtime formats (one mechanism with f-strings and
%-formatting): automatic, numbered and keyword fields, conversions, specs and doubled
braces; a format Python refuses raises Python's exception (ValueError, IndexError,
KeyError) where it runs. Each case runs jitted and under CPython; the outcomes must be
equal."""
import pytest

from dunnart import UnsupportedError, njit

from python_outcome import same


def automatic(x, y):
    return "{} and {:.2f}".format(x, y)


def numbered(x, s):
    return "{1}-{0}-{1!r}-{0:>4}".format(x, s)


def keywords(x, s):
    return "{name:>6}|{v:+.3e}|{{literal}}|{v!s}".format(name=s, v=x)


def specs(x):
    return "{:08.3f} {:x} {:,} {:b} {:%}".format(x, 255, 1234567, 5, 0.25)


def no_fields(x):
    return "plain text".format()


def in_messages(n):
    if n < 0:
        raise ValueError("bad count {} (want >= {})".format(n, 0))
    print("n = {:03d}".format(n))
    return "{}".format(n) * 2


def too_few(x):
    return "{} {}".format(x)


def switches_numbering(x):
    return "{0} {}".format(x, x)


def missing_keyword(x):
    return "{missing}".format(x=x)


def single_brace(x):
    return "a } b".format(x)


def unknown_conversion(x):
    return "{!x}".format(x)


@pytest.mark.parametrize("fn,args", [
    (automatic, (1, 2.5)), (automatic, ("a", -0.0)), (numbered, (3, "ab")), (keywords, (1234.5, "ab")),
    (specs, (3.14159,)), (no_fields, (0,)), (in_messages, (7,)), (in_messages, (-2,)),
    (too_few, (1,)), (switches_numbering, (1,)), (missing_keyword, (1,)), (single_brace, (1,)),
    (unknown_conversion, (1,)),
], ids=lambda v: getattr(v, "__name__", None))
def test_str_format_gives_pythons_outcome(fn, args):
    same(fn, *args)


def test_printed_str_format(capsys):
    in_messages(5)
    want = capsys.readouterr().out
    njit(in_messages)(5)
    assert capsys.readouterr().out == want


def computed_format(x):
    f = "{}" if x > 0 else "[{}]"
    return f.format(x)


def attribute_field(x):
    return "{0.real}".format(x)


@pytest.mark.parametrize("fn,pattern", [
    (computed_format, r"str\.format of a format computed at run time"),
    (attribute_field, r"an attribute or index in a str\.format field"),
], ids=lambda v: getattr(v, "__name__", None))
def test_what_is_not_compiled_is_named(fn, pattern):
    with pytest.raises(UnsupportedError, match=pattern):
        njit(fn)(1)
