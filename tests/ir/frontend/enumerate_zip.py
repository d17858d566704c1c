# A loop over enumerate(zip(a, b)): lower_iterators steps both arrays' own iterators (the
# loop ends when either is done) and a counter in a stack slot, and builds the tuples the
# body unpacks.
def enumerate_zip(a, b):
    s = 0.0
    for i, (x, y) in enumerate(zip(a, b)):
        s += i * x * y
    return s


ARGS = (__import__("numpy").arange(3.0), __import__("numpy").ones(4))
