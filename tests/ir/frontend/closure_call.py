# A lambda that reads a variable of its function, called in a loop after that variable
# changed: the call passes the variable's value at the time of the call (as Python reads
# the cell) as the lambda's last argument; the closure's cells become nothing.
def closure_call(n):
    scale = 1.0
    f = lambda x: x * scale  # noqa: E731
    total = 0.0
    for i in range(n):
        scale = i + 0.5
        total += f(i)
    return total


ARGS = (3,)
