# A generator (an inner function closing over n) iterated by a for loop: lower_generators
# makes it a function that resumes where its last yield stopped (its frame keeps the range
# loop's index and the running total), and the loop's iter_valid a call of it.
def generator_loop(n):
    def evens():
        total = 0
        for i in range(n):
            if i % 2 == 0:
                total += i
                yield total
    s = 0
    for v in evens():
        s += v
    return s


ARGS = (7,)
