"""The benchmark groups, in report order. Each module has NAME, TITLE, NOTE, ROWS ("peer":
table rows are peers and columns cases; "case": the transpose), REFS (tools to report
speedups against) and tasks(cfg) -> [(label, () -> [Row])]."""
from . import compile, dispatch, kernels, logsumexp, numpy_api, power, scaling

GROUPS = {g.NAME: g for g in (logsumexp, scaling, power, kernels, numpy_api, compile, dispatch)}
