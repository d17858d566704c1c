# A list built by appends, then read by index and by iteration: build_list, the append
# fast path (list_header's length and capacity, the runtime only when full), IndexError.
def list_append(n):
    out = []
    for i in range(n):
        out.append(i * 0.5)
    total = 0.0
    for x in out:
        total += x
    return total + out[-1]


ARGS = (4,)
