import os
import signal
import sys
import time
from pathlib import Path

from ruche_devstack.processes import ManagedProcess, group_members, kill_recorded

# A parent that spawns a child which ignores SIGTERM: stop() must still leave nothing behind.
STUBBORN_TREE = (
    "import signal, subprocess, sys, time\n"
    "subprocess.Popen([sys.executable, '-c', "
    "'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)'])\n"
    "print('spawned', flush=True)\n"
    "time.sleep(60)\n"
)


def _process(tmp_path: Path, code: str, name: str = "tree") -> ManagedProcess:
    return ManagedProcess(
        name, [sys.executable, "-c", code], log_path=tmp_path / f"{name}.log", pid_dir=tmp_path / "pids"
    )


def _wait_for_log(proc: ManagedProcess, line: str, count: int = 1) -> None:
    """Wait for `line` as a whole line (the log's header repeats the command, which contains it)."""
    deadline = time.monotonic() + 10
    while proc.log_path.read_text().splitlines().count(line) < count:
        assert time.monotonic() < deadline, proc.log_tail()
        time.sleep(0.05)


def test_stop_terminates_the_whole_group_and_sigkills_stragglers(tmp_path: Path) -> None:
    proc = _process(tmp_path, STUBBORN_TREE)
    proc.start()
    _wait_for_log(proc, "spawned")
    assert len(proc.leftovers()) == 2
    assert proc.pid_file.exists()

    started = time.monotonic()
    proc.stop(timeout=1.0)
    assert time.monotonic() - started < 5
    assert proc.leftovers() == []
    assert not proc.pid_file.exists()
    assert proc.returncode == -signal.SIGTERM


def test_kill_is_immediate(tmp_path: Path) -> None:
    proc = _process(tmp_path, "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)")
    proc.start()
    proc.kill()
    assert proc.returncode == -signal.SIGKILL
    assert proc.leftovers() == []


def test_restart_appends_to_the_log(tmp_path: Path) -> None:
    proc = _process(tmp_path, "import time; print('hello', flush=True); time.sleep(60)")
    proc.start()
    first = proc.pid
    _wait_for_log(proc, "hello")
    proc.restart()
    assert proc.pid != first and proc.is_running()
    _wait_for_log(proc, "hello", count=2)
    proc.stop()
    assert proc.log_path.read_text().count("--- ") == 2


def test_kill_recorded_cleans_up_after_a_crashed_runner(tmp_path: Path) -> None:
    proc = _process(tmp_path, STUBBORN_TREE)
    proc.start()
    _wait_for_log(proc, "spawned")
    pgid = proc.pid
    assert pgid is not None

    # Another runner only has the pid files to go by.
    assert kill_recorded(tmp_path / "pids") == ["tree"]
    assert group_members(pgid) == []
    assert list((tmp_path / "pids").iterdir()) == []
    proc.wait_stopped(1.0)


def test_kill_recorded_ignores_a_recycled_pid(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    (pids / "old.pid").write_text(f"{os.getpid()} 1\n")  # our own pid, but another start time
    assert kill_recorded(pids) == []
    assert not (pids / "old.pid").exists()
