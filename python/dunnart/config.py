"""Settings read from the environment when dunnart is imported, as numba.config's."""
from . import _core

#: The most threads parallel=True code may run on: DUNNART_NUM_THREADS when set (as Numba's
#: NUMBA_NUM_THREADS), else the cores there are. dunnart.set_num_threads chooses up to it.
NUMBA_NUM_THREADS = _core.max_threads()
DUNNART_NUM_THREADS = NUMBA_NUM_THREADS
