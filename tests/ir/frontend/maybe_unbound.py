# A variable read where it may not be assigned: undef, the $bound phi, check_bound.
def maybe_unbound(a):
    if a:
        x = 1
    return x


ARGS = (True,)
