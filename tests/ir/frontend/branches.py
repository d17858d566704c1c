# if/elif/else and a chained comparison: condbr, phis of the merged values.
def branches(x, y):
    if x < y < 10:
        r = x
    elif x == y:
        r = -y
    else:
        r = x * 2
    return r


ARGS = (1, 2)
