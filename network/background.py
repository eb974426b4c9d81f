"""The background computation of the network measures: off the request, one at a time.

Where and how the costly measures are computed, not what they are nor when they are needed
(`network.bundle` decides: the measures are older than the data and the graph is above its sync
limit). Either a child process, `manage.py compute_network --lock TOKEN`, at low priority, or a
thread of the worker; in both cases under a lock in the shared cache, so that one process at a
time computes them whichever app server the requests reach.

Imports run one way, bundle → background: this module imports nothing of `network` nor of any
project app. The bundle's `current()`, on the request path, is what finds the measures stale and
schedules them, and the computation needs the bundle's `refresh`: rather than import each other,
the bundle hands its work to `schedule_refresh(work)` (run by the thread mode), and the child
process reaches the same work through the management command, named here only as a command line.
This keeps the lock and the ways of running apart from what is computed.
"""

from __future__ import annotations

import functools
import logging
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connections, transaction

logger = logging.getLogger(__name__)

LOCK_KEY = "network:measures:v2:lock"  # held while one process computes them
# The lock expires if its holder dies (a recycled worker); the computation renews it between
# steps, so a long one keeps it.
LOCK_TIMEOUT = 5 * 60
# A process that could not start a computation (another one holds the lock) tries again after.
RETRY_SECONDS = 5

# TIPS_NETWORK_BACKGROUND (setting): how a request that finds the measures missing has them
# computed. "process" (default): `manage.py compute_network` in a child process at low priority;
# the request's worker goes on unslowed and the child survives a recycled worker. "thread": a
# thread of the worker, where it shares the worker's interpreter lock (at 10,000 actors, 25 s
# during which that worker's requests were 2 to 5 times slower). "" (or False): never; run
# `manage.py compute_network` from cron or after changes.
BACKGROUND_MODES = ("process", "thread")

# This process's computation, so that it starts no second one while the first runs, and when it
# last tried, so that a held lock is not asked for again at every request.
_memo: dict = {"worker": None, "retry_at": 0.0}
_start_lock = threading.Lock()


def background_mode() -> str:
    mode = getattr(settings, "TIPS_NETWORK_BACKGROUND", "process")
    if mode is True:
        return "process"
    return mode if mode in BACKGROUND_MODES else ""


def schedule_refresh(work) -> None:
    """Has the measures computed in the background once the request's transaction is committed
    (at once outside a transaction; never in a test's rolled-back one).

    `work(progress)` computes and stores them unless they are current already (in this process,
    for the thread mode; the child process runs `compute_network`, which does the same).
    """
    if background_mode():
        transaction.on_commit(functools.partial(start_background_refresh, work))


class ChildProcess:
    def __init__(self, popen: subprocess.Popen):
        self.popen = popen

    def is_alive(self) -> bool:
        return self.popen.poll() is None  # also reaps it once finished


def start_background_refresh(work) -> bool:
    """Starts the computation unless this process or another one is already at it."""
    mode = background_mode()
    if not mode:
        return False
    with _start_lock:
        worker = _memo["worker"]
        if worker is not None and worker.is_alive():
            return False
        now = time.monotonic()
        if now < _memo["retry_at"]:
            return False
        _memo["retry_at"] = now + RETRY_SECONDS
        token = uuid.uuid4().hex
        if not cache.add(LOCK_KEY, token, LOCK_TIMEOUT):
            return False
        # The child is `python manage.py …`: under a server that is not Python itself
        # (uWSGI), sys.executable is not an interpreter, and a thread does the work.
        if mode == "process" and not Path(sys.executable).name.startswith("python"):
            mode = "thread"
        try:
            if mode == "process":
                _memo["worker"] = start_process(token)
            else:
                _memo["worker"] = start_thread(token, work)
        except Exception:
            logger.exception("Network measures: the background computation could not start")
            release_lock(token)
            return False
        return True


def start_process(token: str) -> ChildProcess:
    """`manage.py compute_network --lock TOKEN` at low priority, in its own session."""
    command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "compute_network"]
    command += ["--lock", token]
    nice = shutil.which("nice")
    if nice:
        command = [nice, "-n", "10", *command]
    popen = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,  # its timings; errors go to stderr, the worker's log
        start_new_session=True,
    )
    return ChildProcess(popen)


def start_thread(token: str, work) -> threading.Thread:
    thread = threading.Thread(
        target=background_refresh, args=(token, work), name="network-measures", daemon=True
    )
    thread.start()
    return thread


def renew_lock() -> None:
    cache.touch(LOCK_KEY, LOCK_TIMEOUT)


def release_lock(token: str) -> None:
    if cache.get(LOCK_KEY) == token:
        cache.delete(LOCK_KEY)


def background_refresh(token: str, work) -> None:
    """The thread's work: `work` computes unless already done for the current data (it returns
    the measures, or None when there was nothing to do), then unlock."""
    try:
        started = time.perf_counter()
        measured = work(renew_lock)
        if measured is not None:
            logger.info(
                "Network measures of %s actors computed in %.1f s",
                measured["nodes"],
                time.perf_counter() - started,
            )
    except Exception:
        logger.exception("Network measures: the background computation failed")
        renew_lock()  # kept until it expires: requests try again in LOCK_TIMEOUT, not at once
    else:
        release_lock(token)
    finally:
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()  # the thread's own connections


def clear_memo() -> None:
    """Forgets when this process last tried to start a computation (tests)."""
    _memo.update(retry_at=0.0)
