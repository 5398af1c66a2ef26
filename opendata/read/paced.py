"""A file that keeps pyarrow's CSV reader a few blocks ahead of its consumer, no more.

pyarrow's streaming CSV reader fetches blocks in a background thread up to 32 blocks
ahead of the batches taken from it: 128 MB at our block size, the largest share of
validation's and conversion's peak memory. Reads here wait while the reader is
`AHEAD` blocks ahead. The wait has a time limit, so a row longer than those blocks
(which the reader must read whole before it yields a batch) only slows reading down.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TypeVar

AHEAD = 3  # blocks read but not yet taken as batches; the reader needs two to end a row
PATIENCE = 0.25  # seconds a read waits for the consumer before it reads anyway
T = TypeVar("T")


class Paced(io.RawIOBase):
    """Wrap a readable binary file; `taken` paces reading on the batches consumed."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._reads = self._taken = 0
        self._stopped = False
        self._turn = threading.Condition()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        with self._turn:
            ready = lambda: self._stopped or self._reads - self._taken < AHEAD  # noqa: E731
            self._turn.wait_for(ready, timeout=PATIENCE)
            if self._stopped:
                return 0
            self._reads += 1
        return self._raw.readinto(buffer)

    def stop(self) -> None:
        """End the file here for the reader, which then finishes at once."""
        with self._turn:
            self._stopped = True
            self._turn.notify_all()

    def close(self) -> None:
        self._raw.close()
        super().close()

    def taken(self, batches: Iterable[T]) -> Iterator[T]:
        """Yield the reader's batches, letting it read one block further for each.

        A consumer that stops early ends the file and drains the reader: its background
        thread must not be reading this Python file while the interpreter exits.
        """
        finished = False
        try:
            for batch in batches:
                with self._turn:
                    self._taken += 1
                    self._turn.notify_all()
                yield batch
            finished = True
        finally:
            if not finished:
                self.stop()
                with contextlib.suppress(Exception):
                    for _ in batches:
                        pass
