"""Issue 11, generator functions: a function with `yield` compiles to one that resumes (its
frame, on the stack of the function that iterates it, keeps where it stopped and what lives
across a yield). Generators are iterated by `for` and by what takes an iterable (list, sum,
sorted, min, max, any, all, set, enumerate, zip, str.join) and stepped by next(); they resume
after a `break`, may be inner functions (closures) and generator expressions, delegate with
`yield from`, and raise as Python does. Each consumer runs jitted (with the generators jitted) and under CPython (with
the plain ones); the outcomes must be equal. Called from Python, a jitted generator is an
iterator whose next() resumes it."""
import numpy as np
import pytest

from dunnart import TypingError, UnsupportedError, njit

from python_outcome import outcome


def fib(n):
    a, b = 0, 1
    k = 0
    while k < n:
        yield a
        a, b = b, a + b
        k += 1


def pairs(n):
    for i in range(n):
        for j in range(i):
            yield (i, j)
        if i == 3:
            return


def scaled_rows(a, factor=2.0):
    for i in range(a.shape[0]):
        yield a[i] * factor


def odd_tens(n):
    for v in fib(n):  # a generator iterating a generator
        if v % 2 == 1:
            yield v * 10


def checked(xs):
    for x in xs:
        if x < 0:
            raise ValueError(f"negative value {x}")
        yield x


def words(text):
    cur = ""
    for ch in text:
        if ch == " ":
            if cur:
                yield cur
            cur = ""
        else:
            cur += ch
    if cur:
        yield cur


def talk(n):
    for i in range(n):
        print("made", i)
        yield i


def delegating(n):
    yield -1
    yield from fib(n)  # a generator, a range, a list: their values, in turn
    yield from range(2)
    yield from [7, 8]
    yield 99


GENERATORS = [fib, pairs, scaled_rows, odd_tens, checked, words, talk, delegating]
JITTED = {f.__name__: njit(f) for f in GENERATORS}


def same(fn, *args):
    """fn jitted (calling the jitted generators) and under CPython (the plain ones)."""
    want = outcome(fn, *args)
    g = globals()
    plain = {name: g[name] for name in JITTED}
    g.update(JITTED)
    try:
        got = outcome(njit(fn), *args)
    finally:
        g.update(plain)
    assert got == want, f"{fn.__name__}{args}: dunnart {got} != Python {want}"
    return got


def total(n):
    s = 0
    for v in fib(n):
        s += v
    return s


def with_break_then_rest(n):
    g = fib(n)
    first = []
    for v in g:
        if v > 3:
            break
        first.append(v)
    rest = []
    for v in g:  # goes on where the first loop left it
        rest.append(v)
    again = [v for v in g]  # exhausted
    return first, rest, again


def continue_and_else(n):
    out = []
    for v in fib(n):
        if v % 2 == 0:
            continue
        out.append(v)
    else:
        out.append(-1)
    return out


def tuples(n):
    s = 0
    for i, j in pairs(n):
        s += i * 10 + j
    return s, list(pairs(n))


def rows(n):
    a = np.arange(n * 2.0).reshape(n, 2)
    acc = np.zeros(a.shape[1])
    for r in scaled_rows(a):
        acc += r
    for r in scaled_rows(a, factor=0.5):  # keyword arguments and defaults bind as in calls
        acc -= r
    return [float(x) for x in acc]


def consumers(n):
    return (list(fib(n)), sum(fib(n)), sorted(fib(n), reverse=True), min(fib(n)), max(fib(n)),
            set(fib(n)), any(v > 5 for v in fib(n)), all(v < 100 for v in fib(n)))


def builtin_iterators(n):
    out = []
    for k, v in enumerate(fib(n)):
        out.append(k * v)
    for x, (i, j) in zip(fib(n), pairs(n)):
        out.append(x + i - j)
    return out


def nested(n):
    return list(odd_tens(n))


def raises_inside(xs):
    s = 0.0
    for x in checked(xs):
        s += x
    return s


def catches(xs):
    s = 0.0
    try:
        for x in checked(xs):
            s += x
    except ValueError:
        return -s
    return s


def split_words(text):
    return [w.upper() for w in words(text)], "-".join(words(text))


def inner_generator(n, scale):
    def chunks(k):  # a closure over n and scale
        for i in range(0, n, k):
            yield i * scale
    return list(chunks(3)), sum(chunks(4))


def generator_expression_values(a):
    s = 0.0
    for v in (x * x for x in a if x > 0):
        s += v
    out = []
    for i, v in zip(range(10), (x + 1 for x in a)):
        out.append(i * v)
    return s, out, "".join(str(int(x)) for x in a)


def empty_generators(n):
    return list(fib(0)), sum(fib(0)), list(pairs(0)), [w for w in words("   ")]


def delegated(n):
    return list(delegating(n)), sum(delegating(0))


def stepped(n):
    g = fib(n)
    a = next(g)
    b = next(g, -1)  # a default of the type it yields
    c = next(g, None)  # None: an optional
    return a, b, c, list(g)


def stepped_too_far(n):
    g = fib(n)
    next(g)
    return next(g)  # StopIteration when exhausted


def header_then_rows(rows):
    g = (r for r in rows)
    head = next(g)
    return head, sum(next(g, 0.0) for _ in range(5))


@pytest.mark.parametrize("fn,args", [
    (stepped, (2,)), (stepped, (3,)), (stepped, (6,)), (stepped_too_far, (1,)), (stepped_too_far, (3,)),
    (header_then_rows, ([1.0, 2.0, 3.0],)), (delegated, (5,)),
    (total, (12,)), (total, (0,)), (with_break_then_rest, (10,)), (continue_and_else, (9,)),
    (tuples, (6,)), (rows, (3,)), (consumers, (9,)), (builtin_iterators, (6,)),
    (nested, (12,)), (raises_inside, ([1.0, 2.0],)), (raises_inside, ([1.0, -2.0, 3.0],)),
    (catches, ([1.0, 2.5, -2.0, 4.0],)), (catches, ([1.0],)), (split_words, ("hello big  world ",)),
    (split_words, ("",)), (empty_generators, (1,)), (inner_generator, (10, 2)), (generator_expression_values, ([1.0, -2.0, 3.0],)),
], ids=lambda v: getattr(v, "__name__", None))
def test_generators_give_pythons_outcome(fn, args):
    same(fn, *args)


def guarded(n):
    try:
        for i in range(n):
            if i == 3:
                raise ValueError("three")
            yield i
    except ValueError:
        yield -1
    finally:
        print("done")


def handled_inside(n):
    return list(guarded(n))


def test_try_in_a_generator_runs_as_in_python(capsys):
    # The generator's own except and finally (it is exhausted: finally runs).
    want = [handled_inside(2), handled_inside(5)], capsys.readouterr().out
    g = globals()
    plain = g["guarded"]
    g["guarded"] = njit(guarded)
    try:
        f = njit(handled_inside)
        got = [f(2), f(5)], capsys.readouterr().out
    finally:
        g["guarded"] = plain
    assert got == want


def interleaved(n):
    for v in talk(n):
        print("got", v)


def test_printed_output_interleaves_as_in_python(capsys):
    interleaved(3)
    want = capsys.readouterr().out
    g = globals()
    plain = g["talk"]
    g["talk"] = JITTED["talk"]
    try:
        njit(interleaved)(3)
    finally:
        g["talk"] = plain
    assert capsys.readouterr().out == want


def test_a_generator_runs_at_the_speed_of_its_loop():
    # Not a timing: the resume is inlined and the state machine threaded away, so the
    # consumer's loop has no call and no dispatch on the generator's state left.
    want = total(30)
    g = globals()
    plain = g["fib"]
    g["fib"] = JITTED["fib"]
    try:
        f = njit(total)
        assert f(30) == want
    finally:
        g["fib"] = plain
    (llvm,) = f.inspect_llvm().values()
    loop = llvm[llvm.index("define"):]
    assert "switch" not in loop and "call " not in loop.replace("call void @llvm.", "")


def returns_generator(n):
    return fib(n)


def yields_two_types(n):
    for i in range(n):
        yield i
    yield "done"


def uses_two_types(n):
    return list(yields_two_types(n))


def recursive_generator(n):
    if n > 0:
        yield n
        for v in recursive_generator(n - 1):
            yield v


def uses_recursive(n):
    return list(recursive_generator(n))


def stores_generator(n):
    gens = [fib(n)]
    return len(gens)


def chosen_generator(n):
    g = fib(n) if n > 2 else fib(1)
    return list(g)


def test_a_jitted_generator_called_from_python_is_an_iterator():
    f = JITTED["fib"]
    assert list(f(12)) == list(fib(12)) and list(f(0)) == []
    g = f(5)
    assert iter(g) is g
    assert (next(g), next(g), list(g), list(g)) == (0, 1, [1, 2, 3], [])
    with pytest.raises(StopIteration):
        next(g)
    # Values it keeps across yields that its steps allocate (arrays, strs) stay alive.
    assert [r.tolist() for r in JITTED["scaled_rows"](np.arange(6.0).reshape(3, 2))] == \
        [r.tolist() for r in scaled_rows(np.arange(6.0).reshape(3, 2))]
    assert list(JITTED["words"]("hello big  world ")) == list(words("hello big  world "))
    assert list(JITTED["pairs"](6)) == list(pairs(6))


def test_a_generator_called_from_python_raises_as_python_and_is_then_finished():
    g = JITTED["checked"](np.array([1.0, -2.0, 3.0]))
    assert next(g) == 1.0
    with pytest.raises(ValueError, match="negative value -2.0"):
        next(g)
    assert list(g) == []


def test_a_generator_called_from_python_with_a_list_is_refused_clearly():
    with pytest.raises(UnsupportedError, match="called from Python with a list"):
        list(JITTED["checked"]([1.0, 2.0]))


@pytest.mark.parametrize("fn,pattern", [
    (returns_generator, r"cannot return a value of type Generator"),
    (uses_two_types, r"this generator yields int at line \d+ and str at line \d+"),
    (uses_recursive, r"a generator function that calls itself"),
    (stores_generator, r"a list cannot hold a value of type Generator"),
    (chosen_generator, r"chosen at run time"),
], ids=lambda v: getattr(v, "__name__", None))
def test_unsupported_generator_uses_are_named(fn, pattern):
    g = globals()
    extra = {"yields_two_types": njit(yields_two_types), "recursive_generator": njit(recursive_generator)}
    plain = {name: g[name] for name in list(JITTED) + list(extra)}
    g.update(JITTED)
    g.update(extra)
    try:
        with pytest.raises((UnsupportedError, TypingError), match=pattern):
            njit(fn)(3)
    finally:
        g.update(plain)


def over_tuples(t):
    for x in t:
        yield x * 2
    for y in ():
        yield y
    for z in (1.5, 2.5):
        yield z


def test_tuple_loops_in_a_generator():
    g = globals()
    plain = g.get("over_tuples")
    jitted = njit(over_tuples)
    assert list(jitted((1.0, 2.0))) == list(plain((1.0, 2.0)))
