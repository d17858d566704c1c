# A range as a value: indexed (negative too, IndexError past its end) and searched with
# `in`, which lower_ranges turns into arithmetic on its start, stop and step parts.
def range_values(n, k):
    r = range(2, n, 3)
    return r[k] + r[-1], k in r


ARGS = (20, 1)
