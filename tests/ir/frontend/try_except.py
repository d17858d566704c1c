# try/except/else/finally in a loop: each block inside the try is entered by enter_try,
# whose landing block takes the exception (caught) to the handler, which matches its code
# against ZeroDivisionError's (the low 8 bits); the finally's copy on the exception path
# ends in reraise.
def try_except(items):
    t = 0
    for v in items:
        try:
            t += 10 // v
        except ZeroDivisionError:
            t -= 1
        else:
            t += 100
        finally:
            t *= 2
    return t


ARGS = ([1, 0, 2],)
