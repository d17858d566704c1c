"""A one-line text progress bar on stderr: [#####.....] 12/40  1:05  current task."""
import shutil
import sys
import time


class Progress:
    def __init__(self, total, stream=sys.stderr, width=24):
        self.total, self.stream, self.width = total, stream, width
        self.done, self.start = 0, time.perf_counter()
        self.tty = stream.isatty()

    def _draw(self, label):
        filled = self.width * self.done // max(self.total, 1)
        elapsed = int(time.perf_counter() - self.start)
        line = f"[{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total}  {elapsed // 60}:{elapsed % 60:02d}  {label}"
        if self.tty:
            cols = shutil.get_terminal_size().columns - 1
            self.stream.write("\r" + line[:cols].ljust(cols))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def begin(self, label):
        self._draw(label)

    def advance(self):
        self.done += 1

    def finish(self):
        self._draw("done")
        if self.tty:
            self.stream.write("\n")
