# A dict built from {} by stores, read with get and by iterating its items, a key deleted,
# and a set literal tested with `in`: build_dict, build_set, setitem/delitem on a dict, the
# view's iteration, and the inline loops over entries that lower_dicts makes of them.
def dict_counts(n):
    counts = {}
    for i in range(n):
        counts[i % 3] = counts.get(i % 3, 0) + 1
    del counts[0]
    total = 0
    for k, v in counts.items():
        if k in {1, 2}:
            total += k * v
    return total


ARGS = (7,)
