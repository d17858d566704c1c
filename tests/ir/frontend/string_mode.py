# A str argument compared with literals, sliced, measured and joined: compare, getitem of a
# slice, len and + on strs, which lower_strings turns into runtime calls on DnStr slots
# and inline parts.
def string_mode(method, name):
    if method == "upper":
        return name[:1] + "!"
    return name + str(len(method))


ARGS = ("upper", "dunnart")
