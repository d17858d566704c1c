import numpy as np


def advanced_index(a, i):
    # a[:, i] with a slice beside the index array: the slices first as a view, then one walk
    # over the result's positions, the index array's stride along its axis, each index
    # wrapped and bounds-checked along the axis it indexes
    return a[1:, i]


ARGS = (np.ones((3, 4)), np.array([2, 0]))
