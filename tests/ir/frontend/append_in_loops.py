# Appends in loops: room reserved before the loop for the appends that run in every
# iteration of a range loop and of an array loop (reserve_list_appends), none for a list
# appended to conditionally.
def append_in_loops(a, n):
    out = []
    for i in range(1, n, 2):
        out.append(i)
        out.append(-i)
    halves = []
    for x in a:
        halves.append(x * 0.5)
    odd = []
    for i in range(n):
        if i % 2:
            odd.append(i)
    return len(out) + len(halves) + len(odd)


import numpy as np  # noqa: E402

ARGS = (np.arange(4.0), 5)
