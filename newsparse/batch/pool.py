"""Tasks run in this process or on a pool of worker processes; Ctrl-C and SIGTERM end it cleanly."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any

from ..reading import display_name
from . import worker
from .report import FileResult, Outcome, Results
from .worker import _failure, _read_error, _Settings, _Task, _WorkerTerminated

if TYPE_CHECKING:
    from concurrent.futures import Future

    from .options import ConvertOptions

__all__: list[str] = []

#: Seconds to wait, after an interruption, for workers to finish the file they are on.
_GRACE_SECONDS = 10.0


def _execute(
    plan: Iterator[FileResult | _Task],
    settings: _Settings,
    options: ConvertOptions,
    remember: Callable[[FileResult], None] | None,
) -> Results:
    """Run the tasks of PLAN (in this process, or in batches on workers); yield results.

    Results computed by the plan itself (skips, unreadable entries) come out at once;
    the results of tasks come out in task order.
    """
    remember = remember or (lambda result: None)
    if options.jobs == 1:
        for item in plan:
            if isinstance(item, FileResult):
                result = item
            else:
                result = worker.convert_isolated(item, settings)
            remember(result)
            yield result
            if options.fail_fast and result.outcome is Outcome.FAILED:
                return
        return
    yield from _execute_in_pool(plan, settings, options, remember)


def _execute_in_pool(
    plan: Iterator[FileResult | _Task],
    settings: _Settings,
    options: ConvertOptions,
    remember: Callable[[FileResult], None],
) -> Results:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    method = _start_method()
    context = multiprocessing.get_context(method)
    stop = context.Event()
    # Forked workers inherit this pipe; its end tells them the parent died.
    parent_pipe = os.pipe() if method == "fork" else None

    def new_pool(workers: int = options.jobs) -> Any:
        return ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=worker._init_worker,
            initargs=(stop, os.getpid(), parent_pipe),
        )

    executor = new_pool()
    # Inputs retried after a worker died run here, one at a time in a worker of their own:
    # in the shared pool another input killing its worker would fail them too.
    alone: Any = None
    retrying: deque[tuple[Future[list[FileResult]], list[_Task]]] = deque()  # its one input
    generation = 0  # how many pools broke: a future of an older pool is not retried there
    pending: deque[tuple[Future[list[FileResult]], list[_Task], int]] = deque()
    in_flight = 2 * options.jobs
    finished = False

    def replace_broken_pool(broken: int) -> None:
        # A worker died (killed, out of memory): the pool fails every task it holds and
        # takes no more. Start a fresh one, once per break.
        nonlocal executor, generation
        if broken == generation:
            executor.shutdown(wait=False, cancel_futures=True)
            executor = new_pool()
            generation += 1

    def retried(tasks: list[_Task]) -> list[FileResult]:
        # Each input once more, alone in its worker: only an input that kills its worker
        # again fails, and then it alone.
        nonlocal alone
        results = []
        for task in tasks:
            if alone is None:
                alone = new_pool(1)
            future = alone.submit(worker._convert_batch, [task], settings)
            retrying.append((future, [task]))  # for the clean-up, if Ctrl-C comes now
            try:
                results += future.result()
            except (BrokenProcessPool, _WorkerTerminated) as error:
                alone.shutdown(wait=False, cancel_futures=True)
                alone = None
                _remove_temporaries([task])
                results.append(
                    _failure(
                        task,
                        _read_error(
                            display_name(task.path),
                            f"worker process died while converting it ({type(error).__name__})",
                        ),
                    )
                )
            retrying.clear()
        return results

    def collect_oldest() -> list[FileResult]:
        # The batch leaves `pending` only once its results are recorded: if Ctrl-C comes
        # before that, the clean-up still knows about it and records what it wrote.
        future, tasks, made_by = pending[0]
        try:
            results = future.result()
        except BrokenProcessPool:
            _remove_temporaries(tasks)
            replace_broken_pool(made_by)
            results = retried(tasks)
        except (Exception, _WorkerTerminated) as error:
            _remove_temporaries(tasks)
            results = [
                _failure(
                    task,
                    _read_error(
                        display_name(task.path), f"worker process failed: {type(error).__name__}"
                    ),
                )
                for task in tasks
            ]
        with _signals_deferred():  # recorded and taken off `pending` together, never twice
            for result in results:
                remember(result)
            pending.popleft()
        return results

    def submit(batch: list[_Task]) -> None:
        # Ctrl-C between handing a batch to the pool and listing it in `pending` would
        # let its outputs be written and never recorded.
        with _signals_deferred():
            try:
                future = executor.submit(worker._convert_batch, batch, settings)
            except BrokenProcessPool:  # a worker died since the last batch was handed out
                replace_broken_pool(generation)
                future = executor.submit(worker._convert_batch, batch, settings)
            pending.append((future, batch, generation))

    def collect(until: int) -> Generator[FileResult, None, bool]:
        # Yield the oldest batches' results until at most UNTIL batches are in flight;
        # return True when --fail-fast met a failed input (then nothing more is sent).
        while len(pending) > until:
            for result in collect_oldest():
                yield result
                if options.fail_fast and result.outcome is Outcome.FAILED:
                    return True
        return False

    try:
        batch: list[_Task] = []
        batch_bytes = 0
        limit = min(4, options.batch_files)  # small first batches keep every worker busy
        # A batch of the largest size is sent only once the next one is full too: the
        # last two, held back, go out in small pieces, so that no worker is left alone
        # with a large one at the end.
        held: list[_Task] = []
        for item in plan:
            if isinstance(item, FileResult):
                remember(item)
                yield item
                if options.fail_fast and item.outcome is Outcome.FAILED:
                    return
                continue
            batch.append(item)
            batch_bytes += item.size
            if len(batch) < limit and batch_bytes < options.batch_bytes:
                continue
            if limit < options.batch_files:  # the small first batches go at once
                ready = batch
            else:
                ready, held = held, batch
            batch, batch_bytes = [], 0
            limit = min(limit * 2, options.batch_files)
            if ready:
                submit(ready)
                if (yield from collect(in_flight - 1)):
                    return
        for piece in _pieces(held + batch, 4 * options.jobs):
            submit(piece)
            if (yield from collect(in_flight - 1)):
                return
        if (yield from collect(0)):
            return
        finished = True
    finally:
        with _signals_deferred():
            try:
                if finished:
                    executor.shutdown(wait=True)
                else:
                    _stop_workers(executor, stop, deque((f, t) for f, t, _ in pending), remember)
                if alone is not None and finished:
                    alone.shutdown(wait=True)
                elif alone is not None:
                    _stop_workers(alone, stop, retrying, remember)
            finally:
                if parent_pipe is not None:
                    for end in parent_pipe:
                        os.close(end)


#: The fewest tasks in one of the last pieces: fewer would cost more in sending than the
#: balance at the end gains.
_SMALLEST_PIECE = 16


def _pieces(tasks: list[_Task], count: int) -> list[list[_Task]]:
    """Split TASKS, in order, into at most COUNT pieces of sizes that differ by one at most,
    none smaller than `_SMALLEST_PIECE` (unless TASKS are fewer).
    """
    if not tasks:
        return []
    count = max(1, min(count, len(tasks) // _SMALLEST_PIECE))
    size, larger = divmod(len(tasks), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + size + (index < larger)
        pieces.append(tasks[start:end])
        start = end
    return pieces


def _start_method() -> str:
    """Fork when it is safe (one thread): the quickest start, with nothing re-imported.

    With other threads running, forking can copy a lock held by one of them, so a fork
    server (or spawn, where there is none) starts the workers from a clean process.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _stop_workers(
    executor: Any,
    stop: Any,
    pending: deque[tuple[Future[list[FileResult]], list[_Task]]],
    remember: Callable[[FileResult], None],
) -> None:
    """Let workers finish the file they are on, keep what they wrote, then shut down."""
    import time

    stop.set()
    for future, _ in pending:
        future.cancel()
    deadline = time.monotonic() + _GRACE_SECONDS
    stuck = False
    for future, tasks in pending:
        if future.cancelled():
            continue
        try:
            results = future.result(timeout=max(0.0, deadline - time.monotonic()))
        except (Exception, _WorkerTerminated):  # timed out, or the worker died
            stuck = True
            _remove_temporaries(tasks)
            continue
        for result in results:
            remember(result)
    if stuck:
        # Past the grace period: end the workers; SIGTERM makes each remove its temporary.
        # (The executor has no public way to end its workers before Python 3.14.)
        processes = getattr(executor, "_processes", None) or {}
        for process in list(processes.values()):
            with contextlib.suppress(Exception):
                process.terminate()
        executor.shutdown(wait=True, cancel_futures=True)
        for _, tasks in pending:
            _remove_temporaries(tasks)
    else:
        executor.shutdown(wait=True, cancel_futures=True)


def _remove_temporaries(tasks: list[_Task]) -> None:
    """Remove the temporary files `write_atomically` may have left for TASKS' outputs."""
    worker.remove_temporaries(tasks)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while cleaning up; deliver the first one afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if received:
            signal.raise_signal(received[0])
