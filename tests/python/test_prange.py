"""prange loops of parallel=True functions on several threads (outline_parallel_loops,
runtime/parallel.cpp): results equal the serial loop's for every trip count and step,
the thread-count API, exceptions raised in bodies, nesting, bodies that call jitted
functions and allocate, and a fork after the thread team exists."""
import multiprocessing
import threading

import numpy as np
import pytest

import dunnart
from dunnart import njit, prange


pytestmark = pytest.mark.usefixtures("all_threads")  # conftest.py: each test starts on all threads


def test_features_says_parallel():
    assert dunnart.features["parallel"] is True


def both(py):
    """The function compiled with parallel=True, and run by CPython (prange is range)."""
    return njit(parallel=True)(py), py


def fill(a, out, start, stop, step):
    for i in prange(start, stop, step):
        out[i] = a[i] * 2.0 + i
    return out


THREADS = dunnart.config.NUMBA_NUM_THREADS
TRIP_COUNTS = sorted({0, 1, max(THREADS - 1, 1), THREADS + 1, 1000, 100_003})


@pytest.mark.parametrize("n", TRIP_COUNTS)
def test_every_iteration_once(n):
    jf, py = both(fill)
    a = np.arange(float(n + 5))
    got = jf(a, np.zeros(n + 5), 0, n, 1)
    np.testing.assert_array_equal(got, py(a, np.zeros(n + 5), 0, n, 1))


@pytest.mark.parametrize("start,stop,step", [(3, 50, 3), (49, -1, -1), (40, 2, -7), (5, 5, 1), (7, 3, 1),
                                             (0, 1, 5), (10, 0, -10)])
def test_steps_and_bounds(start, stop, step):
    jf, py = both(fill)
    a = np.linspace(0.0, 1.0, 60)
    np.testing.assert_array_equal(jf(a, np.zeros(60), start, stop, step), py(a, np.zeros(60), start, stop, step))


def test_zero_step_raises_as_range():
    jf = njit(parallel=True)(fill)
    with pytest.raises(ValueError, match="must not be zero"):
        jf(np.zeros(4), np.zeros(4), 0, 4, 0)


def thread_ids(n):
    out = np.full(n, -1, np.int64)
    for i in prange(n):
        out[i] = dunnart.get_thread_id()
    return out


def test_iterations_split_in_contiguous_blocks():
    jf = njit(parallel=True)(thread_ids)
    ids = jf(10_000)
    assert set(ids.tolist()) == set(range(THREADS))
    assert (np.diff(ids) >= 0).all()  # block t before block t + 1


def test_thread_count_changes_between_calls():
    jf = njit(parallel=True)(thread_ids)
    dunnart.set_num_threads(1)
    assert dunnart.get_num_threads() == 1
    assert set(jf(1000).tolist()) == {0}
    dunnart.set_num_threads(THREADS)
    assert set(jf(1000).tolist()) == set(range(THREADS))


def test_thread_count_bad_values():
    with pytest.raises(ValueError, match="between 1 and"):
        dunnart.set_num_threads(0)
    with pytest.raises(ValueError, match="between 1 and"):
        dunnart.set_num_threads(THREADS + 1)
    with pytest.raises(TypeError):
        dunnart.set_num_threads("2")
    assert dunnart.get_num_threads() == THREADS
    assert dunnart.get_thread_id() == 0


def test_thread_api_inside_jitted_code():
    @njit
    def set_and_get(n):
        dunnart.set_num_threads(n)
        return dunnart.get_num_threads(), dunnart.get_thread_id()

    assert set_and_get(1) == (1, 0)
    assert dunnart.get_num_threads() == 1
    with pytest.raises(ValueError, match="between 1 and"):
        set_and_get(0)
    assert dunnart.get_num_threads() == 1


def test_prange_without_parallel_is_range():
    jf = njit(thread_ids)
    assert set(jf(1000).tolist()) == {0}
    assert thread_ids(5).tolist() == [0] * 5  # plain Python


def raises_at(a, bad):
    out = np.empty_like(a)
    for i in prange(a.shape[0]):
        if i == bad:
            raise ValueError("bad index", i)
        out[i] = np.sqrt(a[i])
    return out


def test_body_raises():
    jf, py = both(raises_at)
    a = np.arange(1000.0)
    np.testing.assert_array_equal(jf(a, -1), py(a, -1))
    for bad in (0, 499, 500, 999):
        with pytest.raises(ValueError) as e:
            jf(a, bad)
        assert str(e.value) == str(ValueError("bad index", bad))
    np.testing.assert_array_equal(jf(a, -1), py(a, -1))  # no error left behind


def every_iteration_raises(n):
    out = np.zeros(n)
    for i in prange(n):
        out[i] = 1.0 // (i - i)  # ZeroDivisionError in every thread at once
    return out


def test_all_threads_raise_once():
    jf = njit(parallel=True)(every_iteration_raises)
    for _ in range(20):
        with pytest.raises(ZeroDivisionError):
            jf(1000)


def test_boundscheck_index_error_in_body():
    @njit(parallel=True, boundscheck=True)
    def shifted(a):
        out = np.zeros(a.shape[0])
        for i in prange(a.shape[0]):
            out[i] = a[i + 1]
        return out

    with pytest.raises(IndexError):
        shifted(np.arange(100.0))


def test_exception_caught_around_the_loop():
    @njit(parallel=True)
    def guarded(a, bad):
        try:
            raises_at_jit(a, bad)
            return 0
        except ValueError:
            return 1

    raises_at_jit = njit(parallel=True)(raises_at)
    assert guarded(np.ones(100), 50) == 1
    assert guarded(np.ones(100), -1) == 0

    @njit(parallel=True)
    def inline_try(a):
        out = np.zeros(a.shape[0])
        try:
            for i in prange(a.shape[0]):
                if a[i] < 0:
                    raise ValueError("negative")
                out[i] = a[i]
        except ValueError:
            out[:] = -1.0
        return out

    np.testing.assert_array_equal(inline_try(np.arange(5.0)), np.arange(5.0))
    np.testing.assert_array_equal(inline_try(np.array([1.0, -1.0, 2.0])), [-1.0, -1.0, -1.0])


@njit
def norm_of_row(x, i):
    s = 0.0
    for k in range(x.shape[1]):
        s += x[i, k] * x[i, k]
    return np.sqrt(s)


def calls_and_allocates(x):
    n = x.shape[0]
    out = np.empty(n)
    for i in prange(n):
        tmp = np.empty(x.shape[1])  # each iteration's own array, freed by its block
        for k in range(x.shape[1]):
            tmp[k] = x[i, k] * 2.0
        out[i] = norm_of_row(x, i) + tmp.sum()
    return out


def test_body_calls_jitted_and_allocates():
    jf, py = both(calls_and_allocates)
    x = np.random.default_rng(1).standard_normal((501, 7))
    np.testing.assert_allclose(jf(x), py(x), rtol=1e-14)


def nested(a):
    n, m = a.shape
    out = np.zeros((n, m))
    for i in prange(n):
        for j in prange(m):  # inside a parallel body: serial
            out[i, j] = a[i, j] * (i + 1) + dunnart.get_thread_id() * 0
    return out


def test_nested_prange():
    jf, py = both(nested)
    a = np.random.default_rng(2).standard_normal((37, 11))
    np.testing.assert_array_equal(jf(a), py(a))


def time_steps(u, steps):
    n = u.shape[0]
    for t in range(steps):
        v = u.copy()
        for i in prange(1, n - 1):
            u[i] = 0.25 * v[i - 1] + 0.5 * v[i] + 0.25 * v[i + 1]
    return u


def test_prange_inside_a_serial_loop():
    jf, py = both(time_steps)
    u = np.random.default_rng(3).standard_normal(1001)
    np.testing.assert_allclose(jf(u.copy(), 25), py(u.copy(), 25), rtol=1e-13)


def loop_variable_after(a):
    s = 0.0
    for i in prange(a.shape[0]):
        s += a[i]
    return s


def test_sum_after_the_loop():
    jf, py = both(loop_variable_after)
    a = np.arange(100.0)
    assert jf(a) == py(a)


def fork_child(q):
    q.put(njit(parallel=True)(thread_ids)(1000).tolist())


def test_fork_after_parallel_use():
    jf = njit(parallel=True)(thread_ids)
    assert set(jf(1000).tolist()) == set(range(THREADS))
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=fork_child, args=(q,))
    p.start()
    try:
        ids = q.get(timeout=60)
    finally:
        p.join(10)
        if p.is_alive():
            p.kill()
    assert set(ids) == set(range(THREADS))
    assert p.exitcode == 0


def test_many_python_threads_call_one_parallel_function():
    jf, py = both(calls_and_allocates)
    x = np.random.default_rng(4).standard_normal((300, 5))
    want = py(x)
    results = []

    def work():
        for _ in range(20):
            results.append(np.allclose(jf(x), want, rtol=1e-14))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [True] * 80


def test_parallel_diagnostics(capsys):
    jn = njit(parallel=True)(nested)
    jn(np.ones((3, 2)))
    text = jn.parallel_diagnostics()
    assert capsys.readouterr().out.strip() == text
    line = nested.__code__.co_firstlineno
    assert f"the prange loop at line {line + 3} runs in parallel" in text
    assert f"the prange loop at line {line + 4} runs serially: it is inside the parallel loop at line {line + 3}" in text
    js = njit(parallel=True)(loop_variable_after)
    js(np.ones(3))
    assert "runs in parallel (reductions: 's' by +)" in js.parallel_diagnostics()
    jm = njit(parallel=True)(minmax)
    jm(np.ones(3))
    text = jm.parallel_diagnostics()
    assert "runs in parallel (reductions: " in text and "'lo' by min" in text and "'hi' by max" in text
    jr = njit(thread_ids)
    jr(3)
    assert "compiled without parallel=True" in jr.parallel_diagnostics()


def test_parallel_dump(monkeypatch, capfd):
    monkeypatch.setenv("DUNNART_DUMP", "parallel")
    jf = njit(parallel=True)(thread_ids)
    jf(4)
    err = capfd.readouterr().err
    assert "---- parallel: thread_ids ----" in err
    assert "runs in parallel" in err


# ---------------------------------------------------------------- reductions

def sum_and_count(a, start, stop, step):
    s = 0.0
    hits = 0
    for i in prange(start, stop, step):
        s += a[i]
        if a[i] > 0:
            hits += 1
    return s, hits


def differences(a):
    d = 100.0
    k = 7
    for i in prange(a.shape[0]):
        d -= a[i]
        k -= 2
    return d, k


def products(a):
    p = 1.0
    q = 3
    for i in prange(a.shape[0]):
        p *= a[i]
        q *= 1 - 2 * (i % 2)  # +-1: exact in int64 as in Python
    return p, q


def minmax(a):
    lo = np.inf
    hi = -np.inf
    for i in prange(a.shape[0]):
        lo = min(lo, a[i])
        hi = max(a[i], hi)
    return lo, hi


def int_minmax(a):
    lo = 10**9
    hi = -(10**9)
    for i in prange(a.shape[0]):
        lo = min(lo, a[i])
        hi = max(hi, a[i])
    return lo, hi


def bits(a):
    o = 0
    n = -1
    x = 0
    for i in prange(a.shape[0]):
        o |= a[i]
        n &= a[i] | 1024
        x ^= a[i]
    return o, n, x


def complex_sum(z):
    s = 0j
    for i in prange(z.shape[0]):
        s += z[i] * 1j
    return s


def any_positive(a):
    found = False
    for i in prange(a.shape[0]):
        found |= a[i] > 0.5
    return found


REDUCTION_TRIPS = sorted({0, 1, max(THREADS - 1, 1), THREADS + 1, 10_001})


def same_kind(got, want):
    """Compiled code returns Python scalars where CPython's run has NumPy's (as Numba)."""
    return type(got) is type(want.item() if isinstance(want, np.generic) else want)


def check(jf, py, *args):
    got, want = jf(*args), py(*args)
    wants = want if isinstance(want, tuple) else (want,)
    gots = got if isinstance(want, tuple) else (got,)
    assert len(gots) == len(wants)
    for g, w in zip(gots, wants):
        assert same_kind(g, w), (g, w)
        if isinstance(w, (float, complex, np.floating, np.complexfloating)):
            assert g == pytest.approx(w, rel=1e-12, abs=1e-12)
        else:
            assert g == w


@pytest.mark.parametrize("n", REDUCTION_TRIPS)
def test_reductions_match_serial(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal(n)
    ints = rng.integers(-1000, 1000, n)
    check(*both(sum_and_count), a, 0, n, 1)
    check(*both(differences), a)
    check(*both(products), rng.uniform(0.9, 1.1, n))
    check(*both(minmax), a)
    check(*both(int_minmax), ints)
    check(*both(bits), rng.integers(0, 1 << 20, n))
    check(*both(complex_sum), a + 2j * a)
    check(*both(any_positive), a)


@pytest.mark.parametrize("start,stop,step", [(10_000, -1, -1), (9_999, 3, -7), (5, 10_000, 3)])
def test_reductions_with_steps(start, stop, step):
    a = np.random.default_rng(5).standard_normal(10_001)
    check(*both(sum_and_count), a, start, stop, step)


def test_integer_reductions_exact():
    a = np.arange(-5_000, 5_001, dtype=np.int64)

    def isum(a):
        s = 0
        for i in prange(a.shape[0]):
            s += a[i] * a[i] * a[i]
        return s

    jf, py = both(isum)
    assert jf(a) == py(a)


def test_float_reduction_same_answer_each_run():
    a = np.random.default_rng(6).standard_normal(100_003)
    jf = njit(parallel=True)(sum_and_count)
    first = jf(a, 0, a.shape[0], 1)
    assert all(jf(a, 0, a.shape[0], 1) == first for _ in range(10))


def test_reduction_in_the_corpus_logsumexp():
    def logsumexp(a):
        m = a[0]
        for i in range(a.shape[0]):
            if a[i] > m:
                m = a[i]
        s = 0.0
        for i in prange(a.shape[0]):
            s += np.exp(a[i] - m)
        return np.log(s) + m

    jf, py = both(logsumexp)
    a = np.random.default_rng(7).standard_normal(100_000)
    assert jf(a) == pytest.approx(py(a), rel=1e-13)
    jf(a)
    assert "runs in parallel" in jf.parallel_diagnostics()


def test_reduction_used_otherwise_stays_serial():
    def running(a, out):
        s = 0.0
        for i in prange(a.shape[0]):
            s += a[i]
            out[i] = s  # the running sum: not a reduction
        return s

    jf, py = both(running)
    a = np.arange(50.0)
    o1, o2 = np.zeros(50), np.zeros(50)
    assert jf(a, o1) == py(a, o2)
    np.testing.assert_array_equal(o1, o2)
    assert "used other than by one kind of reduction" in jf.parallel_diagnostics()

    def mixed(a):
        s = 0.0
        for i in prange(a.shape[0]):
            s += a[i]
            s *= 0.5
        return s

    jm, pm = both(mixed)
    assert jm(a) == pm(a)
    assert "runs serially" in jm.parallel_diagnostics()


# ---------------------------------------------------------------- races

def test_same_element_every_iteration_is_refused():
    def last(a, out):
        for i in prange(a.shape[0]):
            out[0] = a[i]
        return out

    with pytest.raises(dunnart.TypingError) as e:
        njit(parallel=True)(last)(np.ones(4), np.zeros(1))
    text = str(e.value)
    assert "Every iteration of the prange loop at line" in text and "writes the same element of 'out'" in text
    assert f"line {last.__code__.co_firstlineno + 2}" in text
    np.testing.assert_array_equal(njit(last)(np.arange(3.0), np.zeros(1)), [2.0])  # serial: fine

    def fixed_column(a, out, j):
        for i in prange(a.shape[0]):
            k = j + 1
            out[k, 0] = a[i]
        return out

    with pytest.raises(dunnart.TypingError, match="writes the same element of 'out'"):
        njit(parallel=True)(fixed_column)(np.ones(4), np.zeros((3, 1)), 0)


def test_conditional_same_element_warns():
    def first_negative(a, out):
        for i in prange(a.shape[0]):
            if a[i] < 0:
                out[0] = i
        return out

    jf = njit(parallel=True)(first_negative)
    with pytest.warns(dunnart.ParallelWarning, match="some iterations of the prange loop") as w:
        jf(np.array([1.0, -1.0, 2.0]), np.zeros(1, np.int64))
    assert w[0].lineno == first_negative.__code__.co_firstlineno + 3


def test_histogram_update_at_a_data_index_warns():
    def histogram(x, bins):
        hist = np.zeros(bins, np.int64)
        for i in prange(x.shape[0]):
            k = int(x[i] * bins)
            hist[k] += 1
        return hist

    jf = njit(parallel=True)(histogram)
    with pytest.warns(dunnart.ParallelWarning, match="at an index computed from the data") as w:
        jf(np.array([0.1, 0.5]), 4)
    assert "hist[dunnart.get_thread_id(), k]" in str(w[0].message)


def test_loop_variable_writes_do_not_warn(recwarn):
    jf = njit(parallel=True)(fill)
    jf(np.ones(10), np.zeros(10), 0, 10, 1)
    jp = njit(parallel=True)(time_steps)
    jp(np.ones(10), 2)

    def scatter(a, perm, out):
        for i in prange(a.shape[0]):
            out[perm[i]] = a[i]  # a permutation: the user's word that indices differ
        return out

    js = njit(parallel=True)(scatter)
    js(np.ones(3), np.array([2, 0, 1]), np.zeros(3))
    assert not [w for w in recwarn if issubclass(w.category, dunnart.ParallelWarning)]


def accumulate(a):
    acc = np.zeros(a.shape[1])
    for i in prange(a.shape[0]):
        acc += a[i, :]
    return acc


def scale_rows(a, skip):
    acc = np.ones((2, a.shape[1]))
    for i in prange(a.shape[0]):
        if i % skip != 0:
            acc *= a[i, :] * 0.01 + 1.0
    return acc


def counts_and_sums(x, bins):
    hist = np.zeros(bins)
    total = 0.0
    for i in prange(x.shape[0]):
        hist -= x[i] * np.arange(bins)
        total += x[i]
    return hist, total


@pytest.mark.parametrize("n", TRIP_COUNTS[:-1])
def test_whole_array_reductions_match_serial(n):
    rng = np.random.default_rng(n)
    a = rng.standard_normal((n, 5))
    np.testing.assert_allclose(njit(parallel=True)(accumulate)(a), accumulate(a), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(njit(parallel=True)(scale_rows)(a, 3), scale_rows(a, 3), rtol=1e-12)
    h, t = njit(parallel=True)(counts_and_sums)(a[:, 0].copy(), 4)
    wh, wt = counts_and_sums(a[:, 0].copy(), 4)
    np.testing.assert_allclose(h, wh, rtol=1e-12, atol=1e-12)
    assert t == pytest.approx(wt, rel=1e-12, abs=1e-12)


def test_whole_array_reduction_same_answer_each_run_and_reported():
    a = np.random.default_rng(3).standard_normal((20_001, 3))
    jf = njit(parallel=True)(accumulate)
    first = jf(a)
    assert all(np.array_equal(jf(a), first) for _ in range(10))
    assert "reductions: the array 'acc' by +" in jf.parallel_diagnostics()
    jc = njit(parallel=True)(counts_and_sums)
    jc(np.ones(3), 2)
    text = jc.parallel_diagnostics()
    assert "the array 'hist' by +" in text and "'total' by +" in text


def test_whole_array_reduction_with_raising_blocks_does_not_hang():
    def guarded(a, bad):
        acc = np.zeros(a.shape[1])
        for i in prange(a.shape[0]):
            if i == bad:
                raise ValueError("bad row", i)
            acc += a[i, :]
        return acc

    jf = njit(parallel=True)(guarded)
    a = np.ones((10_000, 2))
    for bad in (0, 4_999, 5_000, 9_999):  # a block raising before or after others' turns
        with pytest.raises(ValueError, match="bad row"):
            jf(a, bad)
    np.testing.assert_array_equal(jf(a, -1), [10_000.0, 10_000.0])


def test_array_updates_that_are_no_reduction_stay_serial():
    def mixed(a):
        acc = np.ones(a.shape[1])
        for i in prange(a.shape[0]):
            acc *= 1.0
            acc += a[i, :]
        return acc

    def read_back(a, out):
        acc = np.zeros(a.shape[1])
        for i in prange(a.shape[0]):
            acc += a[i, :]
            out[i] = acc[0]  # reads the running sum: threads would race
        return acc

    a = np.random.default_rng(4).standard_normal((50, 3))
    jm, jr = njit(parallel=True)(mixed), njit(parallel=True)(read_back)
    np.testing.assert_allclose(jm(a), mixed(a), rtol=1e-13)
    o1, o2 = np.zeros(50), np.zeros(50)
    np.testing.assert_allclose(jr(a, o1), read_back(a, o2), rtol=1e-13)
    np.testing.assert_allclose(o1, o2, rtol=1e-13)
    assert "both by multiplying and by adding" in jm.parallel_diagnostics()
    assert "'acc' is accumulated into and read in the same loop" in jr.parallel_diagnostics()


# ---------------------------------------------------------------- the GIL

def wait_for_flag(flag, spins, out):
    for i in prange(out.shape[0]):  # a parallel loop: the call releases the GIL
        out[i] = i
    for k in range(spins):
        if flag[0] != 0:
            return k
        dunnart.get_thread_id()  # opaque to LLVM: flag[0] is read again each time
    return -1


@pytest.mark.parametrize("options", [{"parallel": True}, {"nogil": True}])
def test_python_runs_while_compiled_code_does(options):
    """The compiled call waits for the main thread to set a flag, which the main thread,
    running Python, can do only while the call does not hold the GIL (a call that held it
    would spin to its end and return -1)."""
    jf = njit(**options)(wait_for_flag)
    flag = np.zeros(1, np.int64)
    out = np.zeros(8, np.int64)
    flag[0] = 1
    assert jf(flag, 10, out) == 0
    flag[0] = 0
    result = []
    t = threading.Thread(target=lambda: result.append(jf(flag, 2_000_000_000, out)))
    t.start()
    threading.Event().wait(0.05)  # the call has started spinning (plain njit: -1 here)
    flag[0] = 1
    t.join()
    assert result[0] >= 0, "the call kept the GIL: the flag was set only after it returned"


# ---------------------------------------------------------------- choosing reductions

def first_max(a):
    m = a[0]
    for i in prange(a.shape[0]):
        if a[i] > m:
            m = a[i]
    return m


def last_min(a):
    m = a[0]
    for i in prange(a.shape[0]):
        x = a[i]
        if m >= x:
            m = x
    return m


def ternary_min(a):
    m = 0
    for i in prange(a.shape[0]):
        m = a[i] if a[i] < m else m
    return m


def same_float(x, y):
    return (np.isnan(x) and np.isnan(y)) or (x == y and np.signbit(x) == np.signbit(y))


@pytest.mark.parametrize("fn", [first_max, last_min, ternary_min])
@pytest.mark.parametrize("n", [1, 2, THREADS + 1, 1001, 100_003])
def test_choosing_reductions_exact(fn, n):
    jf = njit(parallel=True)(fn)
    a = np.random.default_rng(n).standard_normal(n)
    assert same_float(jf(a), fn(a))
    for at in (n // 2, n - 1, 0):  # a NaN is never chosen; a first NaN stays
        a[at] = np.nan
        assert same_float(jf(a), fn(a))
    ints = np.random.default_rng(n).integers(-50, 50, n)
    assert jf(ints) == fn(ints)


@pytest.mark.parametrize("fn", [first_max, last_min])
def test_choosing_keeps_the_serial_zero(fn):
    z = np.array([0.0, -0.0, 0.0, -0.0] * 5000)
    jf = njit(parallel=True)(fn)
    for a in (z, -z, z[1:]):
        assert same_float(jf(a), fn(a))


def test_choosing_reported():
    jf = njit(parallel=True)(last_min)
    jf(np.ones(3))
    assert "'m' by choosing by <=" in jf.parallel_diagnostics()


# ---------------------------------------------------------------- range loops

def max_then_sum(a):
    m = a[0]
    for i in range(a.shape[0]):  # a plain range loop: reordered, as it gives one answer
        if a[i] > m:
            m = a[i]
    s = 0.0
    for i in range(a.shape[0]):
        s += np.exp(a[i] - m)
    count = 0
    for i in range(a.shape[0]):
        if a[i] > 0:
            count += 1
    return m, s, count


@pytest.mark.parametrize("n", [1, 1000, 65_535, 65_536, 300_001])
def test_order_free_range_loops_match_serial(n):
    a = np.random.default_rng(n).standard_normal(n)
    jf = njit(parallel=True)(max_then_sum)
    m, s, c = jf(a)
    wm, ws, wc = max_then_sum(a)
    assert m == wm and c == wc and s == pytest.approx(ws, rel=1e-12)
    text = jf.parallel_diagnostics()
    line = max_then_sum.__code__.co_firstlineno
    for k in (2, 6, 9):
        assert f"the range loop at line {line + k} runs in parallel from 65536 iterations on" in text


def test_range_loops_that_depend_on_order_stay_serial():
    def writes(a, out):
        t = 0.0
        for i in range(a.shape[0]):
            out[i] = a[i]  # writes memory: prange is the user's word it may be reordered
        for i in range(a.shape[0]):
            t += 1.0 / a[i]  # may raise ZeroDivisionError
        return t

    jf = njit(parallel=True)(writes)
    a = np.arange(1.0, 70_001.0)
    out = np.zeros_like(a)
    assert jf(a, out) == pytest.approx(writes(a, np.zeros_like(a)), rel=1e-12)
    text = jf.parallel_diagnostics(level=2)
    assert text.count("runs serially: its iterations might not give the same answer in another order") == 2
    assert "range loop" not in jf.parallel_diagnostics(level=1)
    a[5] = 0.0
    with pytest.raises(ZeroDivisionError):
        jf(a, out)

    @njit(parallel=True, boundscheck=True)
    def checked_max(a):
        m = a[0]
        for i in range(a.shape[0]):
            m = max(m, a[i])
        return m

    a = np.random.default_rng(1).standard_normal(100_000)
    assert checked_max(a) == a.max()
    assert "range loop" not in checked_max.parallel_diagnostics()
