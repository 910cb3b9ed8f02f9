"""Child processes in their own process groups, with logs and pid files under the run dir.

Each process leads a new session, so Ctrl-C in the terminal reaches only the runner, which then stops
the children in order, and stopping a group also reaches whatever a child spawned (JVM threads are
one process, but nginx has workers and uvicorn may have reloaders).
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO


class ManagedProcess:
    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        log_path: Path,
        pid_dir: Path,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.log_path = log_path
        self.pid_dir = pid_dir
        self.cwd = cwd
        self.env = dict(os.environ if env is None else env)
        self._popen: subprocess.Popen[bytes] | None = None

    def __repr__(self) -> str:
        return f"ManagedProcess({self.name!r}, pid={self.pid}, running={self.is_running()})"

    @property
    def pid(self) -> int | None:
        return self._popen.pid if self._popen else None

    @property
    def pid_file(self) -> Path:
        return self.pid_dir / f"{self.name}.pid"

    @property
    def returncode(self) -> int | None:
        return self._popen.poll() if self._popen else None

    def is_running(self) -> bool:
        return self._popen is not None and self._popen.poll() is None

    def start(self) -> None:
        if self.is_running():
            raise RuntimeError(f"{self.name} is already running (pid {self.pid})")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self.pid_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"--- {time.strftime('%H:%M:%S')} starting: {' '.join(self.argv)}\n".encode())
            log.flush()
            self._popen = subprocess.Popen(
                self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.pid_file.write_text(f"{self._popen.pid} {_start_time(self._popen.pid)}\n")

    def terminate(self) -> None:
        """Send SIGTERM to the group without waiting (see `wait_stopped`)."""
        self._signal(signal.SIGTERM)

    def wait_stopped(self, timeout: float) -> int | None:
        """Wait up to `timeout` for the whole group to exit, then SIGKILL what is left."""
        popen = self._popen
        if popen is None:
            return None
        deadline = time.monotonic() + timeout
        try:
            popen.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            popen.wait()
        if not _wait_group_gone(popen.pid, deadline):
            self._signal(signal.SIGKILL)
            _wait_group_gone(popen.pid, time.monotonic() + 5)
        self.pid_file.unlink(missing_ok=True)
        return popen.returncode

    def stop(self, timeout: float = 10.0) -> int | None:
        self.terminate()
        return self.wait_stopped(timeout)

    def kill(self) -> int | None:
        """SIGKILL the group at once, as a crash would; for tests of recovery."""
        self._signal(signal.SIGKILL)
        return self.wait_stopped(5.0)

    def restart(self, timeout: float = 10.0) -> None:
        self.stop(timeout)
        self.start()

    def _signal(self, sig: signal.Signals) -> None:
        popen = self._popen
        # Once the leader is reaped and its group is empty, the id may be recycled: never signal it again.
        if popen is None or (popen.poll() is not None and not group_members(popen.pid)):
            return
        _signal_group(popen.pid, sig)

    def leftovers(self) -> list[int]:
        """Pids still alive in this process's group (empty once it is stopped)."""
        return group_members(self._popen.pid) if self._popen else []

    def log_tail(self, lines: int = 40) -> str:
        try:
            with self.log_path.open("rb") as log:
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - 64 * 1024))
                text = log.read().decode(errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


class RunDirLock:
    """Held by the one runner using a run dir, so a second runner refuses instead of killing the
    first one's processes as "leftovers". The lock file sits beside the run dir, which gets wiped."""

    def __init__(self, run_dir: Path) -> None:
        self.path = run_dir.with_name(f"{run_dir.name}.lock")
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        if self._handle is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise RuntimeError(
                f"another runner (pid {holder}) is using {self.path.with_suffix('')}; "
                "stop it first (Ctrl-C, or kill -TERM that pid)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None


def kill_recorded(pid_dir: Path) -> list[str]:
    """SIGKILL the groups recorded in a previous run's pid files (e.g. after the runner was killed)."""
    killed = []
    for pid_file in sorted(pid_dir.glob("*.pid")):
        try:
            pid_text, start_text = pid_file.read_text().split()
            pid = int(pid_text)
        except ValueError:
            pid_file.unlink()
            continue
        leader = _start_time(pid)
        # A different start time means the pid was recycled by an unrelated process: leave it alone.
        # With the leader gone, the group id cannot have been reused while members remain.
        if leader == start_text or (leader == "gone" and group_members(pid)):
            _signal_group(pid, signal.SIGKILL)
            _wait_group_gone(pid, time.monotonic() + 5)
            killed.append(pid_file.stem)
        pid_file.unlink()
    return killed


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is `pgid`."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat_fields(int(entry.name))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        if int(fields[4]) == pgid and (fields[2] != "Z" or _threads_left(entry)):
            members.append(int(entry.name))
    return members


def _threads_left(proc_entry: Path) -> bool:
    """A dying multi-threaded process (a JVM) shows a zombie leader while its other threads, which may
    still hold its sockets, are being torn down."""
    try:
        return any(task.name != proc_entry.name for task in (proc_entry / "task").iterdir())
    except (FileNotFoundError, ProcessLookupError):
        return False


def _stat_fields(pid: int) -> list[str]:
    stat = Path(f"/proc/{pid}/stat").read_text()
    # The command name may hold spaces and parentheses, so split after its last ")".
    head, _, rest = stat.rpartition(")")
    return [head.split(" (", 1)[0], head.split(" (", 1)[1], *rest.split()]


def _start_time(pid: int) -> str:
    try:
        return _stat_fields(pid)[21]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return "gone"


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _wait_group_gone(pgid: int, deadline: float) -> bool:
    while group_members(pgid):
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.05)
    return True
