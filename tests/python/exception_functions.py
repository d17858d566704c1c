"""Functions for test_exceptions.py and test_exception_messages.py, here because pytest rewrites `assert` in test modules."""


def checks(x):
    if x < 0:
        raise ValueError("x must be non-negative")
    assert x != 3, "three is not allowed"
    assert x != 4
    if x == 5:
        raise KeyError
    if x == 6:
        raise NotImplementedError()
    if x == 7:
        raise IndexError(7)
    if x == 8:
        raise ZeroDivisionError("by zero")
    if x == 9:
        raise TypeError("wrong type")
    if x == 10:
        raise KeyError("missing")
    if x == 11:
        raise Exception("generic")
    if x == 12:
        raise LookupError
    if x == 13:
        raise OverflowError("too big")
    return x * 2


def first_negative_guard(a):
    s = 0.0
    for i in range(a.shape[0]):
        assert a[i] >= 0.0, "negative element"
        s += a[i]
    return s


def assert_formatted(x, lo):
    # Here, not in a test module: pytest rewrites the asserts of those.
    assert x > lo, f"x = {x:.2f} is not above {lo}"
    return x


def assert_chosen_message(x):
    assert x < 0, "big" if x > 10 else f"small: {x}"
    return x
