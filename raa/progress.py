"""Progress bars for the long commands (import_903, recompute_scorecards, seed_demo).

A bar (tqdm) is drawn only when the command's output is a terminal; in tests, CI, cron or a
pipe nothing is drawn, and the command's one-line summary at the end is all there is.
"""

from typing import Any

from tqdm import tqdm


def is_terminal(stream: Any) -> bool:
    """Whether ``stream`` (a file, or a command's ``self.stdout``) is a terminal."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


class TerminalProgress:
    """A progress bar on ``stream`` when it is a terminal, else nothing (every call is cheap).

    ``total`` is the number of steps (``None``: count without a total); ``set(done, label)``
    moves the bar to ``done`` steps, ``step(label)`` one step on. Use it as a context manager
    so the bar is cleared before the summary line is written."""

    def __init__(self, stream: Any, *, total: int | None, description: str = "", unit: str = ""):
        self.shown = is_terminal(stream)
        self._bar = tqdm(
            total=total,
            desc=description,
            unit=unit or "it",
            # a command's OutputWrapper adds a line ending to every write: draw on what it wraps
            file=getattr(stream, "_out", stream),
            leave=False,
            dynamic_ncols=True,
            disable=not self.shown,
        )

    def set(self, done: int, label: str = "") -> None:
        if not self.shown:
            return
        self._bar.update(done - self._bar.n)
        if label and label[:40] != self._bar.desc:
            # a new stage is drawn at once (tqdm otherwise redraws at most ten times a second)
            self._bar.set_description_str(label[:40], refresh=True)

    def step(self, label: str = "", steps: int = 1) -> None:
        self.set(self._bar.n + steps, label)

    def close(self) -> None:
        self._bar.close()

    def __enter__(self) -> "TerminalProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
