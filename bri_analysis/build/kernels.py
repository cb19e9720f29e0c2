"""Warm kernels: an ipykernel forked from a process that has imported the report stack.

A report's process (itself a fresh fork of the warm worker) forks the kernel first thing,
before any thread or socket exists (``ForkedKernel.fork``); the kernel then waits on a
pipe. papermill starts it through jupyter_client as usual: ``ForkedProvisioner`` replaces
``Popen`` by sending the kernel the command line, working folder and environment that
jupyter_client built. The kernel binds its own random ports and writes its connection
file (no port race between parallel kernels), and becomes a normal ``IPKernelApp``. A
command that is not this interpreter's ipykernel is ``exec``'d instead (a cold start).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
import traceback
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from bri_analysis.build import lifeline

KERNEL_MODULES = ("ipykernel_launcher", "ipykernel")


def runs_here(argv: list[str]) -> bool:
    """Whether a formatted kernel command is this interpreter's ipykernel (so it can be forked)."""
    if len(argv) < 3 or argv[1] != "-m" or argv[2] not in KERNEL_MODULES:
        return False
    return os.path.realpath(argv[0]) == os.path.realpath(sys.executable)


class ForkedKernel:
    """A kernel process forked from this one, waiting for its launch command; Popen-like."""

    def __init__(self, pid: int, command_fd: int, connection_file: Path) -> None:
        self.pid = pid
        self.command_fd = command_fd
        self.connection_file = connection_file
        self.returncode: int | None = None
        self.status: int | None = None
        self.stdin = self.stdout = self.stderr = None

    @classmethod
    def fork(cls, connection_file: Path, close_fds: Iterable[int] = ()) -> ForkedKernel:
        """Fork the kernel now; call from a process with no threads or sockets yet."""
        connection_file.unlink(missing_ok=True)
        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the kernel
            code = 1
            try:
                os.close(write)
                for fd in close_fds:
                    with contextlib.suppress(OSError):
                        os.close(fd)
                lifeline.die_with_parent(parent, thread_ok=False)
                os.setsid()  # its own group: a terminal's Ctrl-C goes to the build only
                _become_kernel(_read_command(read), parent)
                code = 0
            except BaseException:  # noqa: BLE001 - report and leave, whatever happened
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(read)
        return cls(pid, write, connection_file)

    def launch(self, cmd: list[str], cwd: str | None, env: Mapping[str, str]) -> None:
        data = json.dumps({"cmd": cmd, "cwd": cwd, "env": dict(env)}).encode()
        with os.fdopen(self.command_fd, "wb") as pipe:
            pipe.write(data)
        self.command_fd = -1

    async def connection_info(self, timeout: float) -> dict[str, Any]:
        """The connection file the kernel writes once its sockets are bound."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.poll() is not None:
                raise RuntimeError(f"kernel died before it started ({self.describe()})")
            try:
                info = json.loads(self.connection_file.read_text(encoding="utf-8"))
            except (FileNotFoundError, ValueError):
                info = {}
            ports = [
                info.get(k, 0)
                for k in ("shell_port", "iopub_port", "stdin_port", "hb_port", "control_port")
            ]
            if info.get("key") is not None and all(ports):
                info["key"] = info["key"].encode()
                return info
            await asyncio.sleep(0.005)
        raise TimeoutError(f"kernel did not write its connection file within {timeout:.0f} s")

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
            except ChildProcessError:
                self.returncode = -1
                return self.returncode
            if pid:
                self.status = status
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int | None:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                return None
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.killpg(self.pid, signum)
            except OSError:
                os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        """Kill the kernel (and whatever it started) and reap it."""
        if self.command_fd >= 0:
            os.close(self.command_fd)
            self.command_fd = -1
        self.send_signal(signal.SIGKILL)
        self.wait(timeout=5)
        self.connection_file.unlink(missing_ok=True)

    def describe(self) -> str:
        if self.returncode is None:
            return "running"
        return lifeline.describe_status(self.status if self.status is not None else self.returncode)


def _read_command(fd: int) -> dict[str, Any]:
    with os.fdopen(fd, "rb") as pipe:
        data = pipe.read()
    if not data:  # the report process went away without launching us
        os._exit(0)
    return json.loads(data)


def _become_kernel(command: Mapping[str, Any], parent: int) -> None:
    """Turn this forked process into the kernel jupyter_client asked for."""
    cmd, cwd, env = list(command["cmd"]), command.get("cwd"), dict(command["env"])
    env.setdefault("JPY_PARENT_PID", str(parent))  # ipykernel's own parent poller, too
    if cwd:
        os.chdir(cwd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    if not runs_here(cmd):
        os.execvpe(cmd[0], cmd, env)
    os.environ.clear()
    os.environ.update(env)
    # parent_handle's default was read from the environment when the warm parent imported
    # ipykernel, before JPY_PARENT_PID existed: say it on the command line
    sys.argv = [cmd[2], *cmd[3:], f"--IPKernelApp.parent_handle={env['JPY_PARENT_PID']}"]
    sys.path[0] = os.getcwd()  # as `python -m` would have it
    if "numpy.random" in sys.modules:  # every forked kernel would share the warm seed
        sys.modules["numpy.random"].seed()
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()


def manager(kernel: ForkedKernel, kernel_name: str, start_timeout: float = 60) -> Any:
    """A jupyter_client ``AsyncKernelManager`` that starts ``kernel`` instead of a new process."""
    import uuid

    from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name=kernel_name)
    km.kernel_id = str(uuid.uuid4())
    provisioner = _provisioner_class()(
        kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km
    )
    provisioner.kernel = kernel
    provisioner.start_timeout = start_timeout
    km.provisioner = provisioner
    km.client_factory = _client_class()
    return km


def _client_class() -> type:
    from queue import Empty

    from jupyter_client.asynchronous.client import AsyncKernelClient

    class QuickReadyClient(AsyncKernelClient):
        """jupyter_client's client, but ready as soon as IOPub answers: its
        ``wait_for_ready`` waits 0.2 s for a first IOPub message that a just-connected
        subscriber always misses, a quarter of a warm kernel's start; this one asks again
        every 20 ms."""

        async def wait_for_ready(self, timeout: float | None = None) -> None:  # type: ignore[override]
            deadline = time.monotonic() + (timeout or 60)
            while time.monotonic() < deadline:
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    msg = None
                if msg is not None and msg["msg_type"] == "kernel_info_reply":
                    try:
                        await self.iopub_channel.get_msg(timeout=0.02)
                    except Empty:
                        continue
                    self._handle_kernel_info_reply(msg)
                    return
                if not await self._async_is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    return QuickReadyClient


def _provisioner_class() -> type:
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner
    from jupyter_client.provisioning.provisioner_base import KernelProvisionerBase

    class ForkedProvisioner(LocalProvisioner):
        """Launches a pre-forked ``ForkedKernel`` instead of ``Popen``; Local otherwise."""

        kernel: ForkedKernel
        start_timeout: float = 60

        async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
            km = self.parent
            km.connection_file = str(self.kernel.connection_file)  # written by the kernel
            cmd = km.format_kernel_cmd(extra_arguments=kwargs.pop("extra_arguments", []))
            return await KernelProvisionerBase.pre_launch(self, cmd=cmd, **kwargs)

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> dict[str, Any]:
            self.kernel.launch(cmd, kwargs.get("cwd"), kwargs.get("env") or os.environ)
            info = await self.kernel.connection_info(self.start_timeout)
            self.parent.load_connection_info(info)  # the file is the kernel's; adopt it
            self.process = self.kernel
            self.pid = self.pgid = self.kernel.pid
            self.cwd = kwargs.get("cwd")
            self.connection_info = info
            return info

    return ForkedProvisioner
