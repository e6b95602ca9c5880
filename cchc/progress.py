"""Progress of a long run, shown by the CLI on an interactive terminal.

The flow reports through `update`; nothing is shown unless the CLI installed a sink.
"""
from collections.abc import Callable

_sink: Callable[[int, int], None] | None = None


def set_sink(sink: Callable[[int, int], None] | None) -> None:
    global _sink
    _sink = sink


def update(done: int, total: int) -> None:
    if _sink is not None:
        _sink(done, total)
