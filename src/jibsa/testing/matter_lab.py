"""A Matter lab on one machine, for tests, the benchmark and a demo: a network namespace joined to
this one by a veth pair, with matter.js virtual devices and a Matter controller inside it.

mDNS, which Matter needs to find devices, does not work on the loopback interface; a veth pair is a
real (virtual) link. The controller listens on the namespace's end of the pair, so jibsa, outside,
reaches it at `lab.url`. Nothing in the lab has a route beyond the pair. The controller trusts only
matter.js's public *test* PAA roots, written into the lab's folder: never a production home's roots.

Needs root (`ip netns`, iproute2), Node 20 and the device script's packages
(`npm ci` in tests/adapters/matter/devices), and a controller Python (python-matter-server[server]).
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEVICE_SCRIPT_DIR = Path(__file__).resolve().parents[3] / "tests" / "adapters" / "matter" / "devices"
CONTROLLER_PORT = 5580


class LabUnavailable(Exception):
    """This machine cannot run the lab; the message says why (a test skips with it)."""


def lab_problem(script_dir: Path = DEVICE_SCRIPT_DIR) -> str | None:
    """Why the lab cannot run here, or None."""
    if os.geteuid() != 0:
        return "the Matter lab needs root for network namespaces (ip netns)"
    if shutil.which("ip") is None:
        return "the Matter lab needs iproute2's ip (apt-get install iproute2)"
    if shutil.which("node") is None:
        return "the Matter lab needs Node.js 20 for the matter.js virtual devices"
    if not (script_dir / "node_modules" / "@matter" / "main").is_dir():
        return f"the virtual devices' packages are not installed: cd {script_dir} && npm ci"
    probe = f"jibsa-probe-{os.getpid()}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True, check=False)
    if made.returncode != 0:
        return f"network namespaces are not possible here: {made.stderr.strip()}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True, check=False)
    return None


def _ip(*args: str, netns: str | None = None) -> None:
    argv = ["ip", "netns", "exec", netns, *args] if netns else list(args)
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise LabUnavailable(f"{' '.join(argv)}: {done.stderr.strip()}")


@dataclass
class VirtualDevice:
    """One matter.js device: its pairing codes and its own state, as it printed them."""

    id: str
    kind: str
    manual_code: str = ""
    qr_code: str = ""
    qr_art: str = ""  # the QR code as matter.js prints it (half-block characters)
    state: dict[str, Any] = field(default_factory=dict)


class VirtualDevices:
    """A node process running matter.js devices in the lab; its JSON lines are read on a thread."""

    def __init__(self, lab: MatterLab, specs: list[tuple[str, str]], state_dir: Path, first: int = 0) -> None:
        self.devices = {device_id: VirtualDevice(device_id, kind) for kind, device_id in specs}
        argv = [
            "ip",
            "netns",
            "exec",
            lab.netns,
            "node",
            str(lab.script_dir / "devices.mjs"),
            "--state-dir",
            str(state_dir),
        ]
        for index, (kind, device_id) in enumerate(specs, start=first):
            port = 5541 + index
            # Devices commissioned by manual code are told apart by their short discriminator (its top 4 bits).
            discriminator = ((index % 16) << 8) | (index // 16)
            argv.append(f"{kind}:{device_id}:{port}:{20202021 + index}:{discriminator}")
        self.process = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, bufsize=1
        )
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        for _ in specs:
            self.wait_for(lambda e: e.get("event") == "ready", timeout=60)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                device = self.devices.get(str(event.get("id")))
                if device is not None and event.get("event") == "ready":
                    device.manual_code, device.qr_code = event["manual_code"], event["qr_code"]
                    device.qr_art = event.get("qr_art", "")
                if device is not None and event.get("event") == "state":
                    device.state = dict(event["state"])
            self._events.put(event)
        self._events.put({"event": "exited"})

    def wait_for(self, test: Any, timeout: float = 30.0) -> dict[str, Any]:
        """The next event (JSON line) for which `test(event)` is true."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                event = self._events.get(timeout=left)
            except queue.Empty:
                break
            if event.get("event") == "exited":
                raise AssertionError("the virtual devices' process ended")
            if test(event):
                return event
        raise AssertionError(f"no such event from the virtual devices within {timeout:g} s")

    def wait_state(self, device_id: str, timeout: float = 30.0, **expected: Any) -> dict[str, Any]:
        """Wait until the device's own state has these values (now, or in a later report)."""
        with self._lock:
            now = dict(self.devices[device_id].state)
        if all(now.get(k) == v for k, v in expected.items()):
            return now
        event = self.wait_for(
            lambda e: (
                e.get("id") == device_id
                and e.get("event") == "state"
                and all(e["state"].get(k) == v for k, v in expected.items())
            ),
            timeout,
        )
        return dict(event["state"])

    def request(self, request: dict[str, Any]) -> None:
        """A change made on a device itself (`{"id", "set": {...}}`) or `{"id", "op": "offline"|"online"}`."""
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None and self.process.stdin is not None:
            self.process.stdin.close()  # the script closes its devices and exits
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(5)
        if self.process.stdout is not None:
            self.process.stdout.close()


class MatterLab:
    """Set up with `up()`, torn down with `down()` (also on failure half-way)."""

    def __init__(self, work: Path, controller_python: str, script_dir: Path = DEVICE_SCRIPT_DIR) -> None:
        self.work = work
        self.python = controller_python
        self.script_dir = script_dir
        tag = f"{os.getpid() % 100000}{random.randrange(100)}"
        self.netns = f"jibsa-matter-{tag}"
        self.outer, self.inner = f"jmo{tag}", f"jmi{tag}"
        subnet = random.randrange(1, 0xFFFF)
        self.outer_address, self.inner_address = f"fd4a:6962:7361:{subnet:x}::1", f"fd4a:6962:7361:{subnet:x}::2"
        self.controller: subprocess.Popen[bytes] | None = None
        self.groups: list[VirtualDevices] = []
        self._started = 0  # devices started so far: each gets its own port and discriminator

    @property
    def url(self) -> str:
        return f"ws://[{self.inner_address}]:{CONTROLLER_PORT}/ws"

    def up(self, *, controller: bool = True) -> MatterLab:
        """The namespace, the test PAA roots and (unless told not to) the lab's own controller."""
        try:
            self._network()
            self.paa = self.work / "test-paa-roots"
            done = subprocess.run(
                ["node", str(self.script_dir / "devices.mjs"), "--write-paa", str(self.paa)],
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise LabUnavailable(f"writing the test PAA roots failed: {done.stderr.strip()[-500:]}")
            if controller:
                self.start_controller()
        except BaseException:
            self.down()
            raise
        return self

    def _network(self) -> None:
        _ip("ip", "netns", "add", self.netns)
        _ip(
            "sysctl",
            "-q",
            "-w",
            "net.ipv6.conf.all.accept_dad=0",
            "net.ipv6.conf.default.accept_dad=0",
            netns=self.netns,
        )
        _ip("ip", "link", "add", self.outer, "type", "veth", "peer", "name", self.inner)
        _ip("ip", "link", "set", self.inner, "netns", self.netns)
        _ip("ip", "link", "set", "lo", "up", netns=self.netns)
        _ip("ip", "addr", "add", f"{self.inner_address}/64", "dev", self.inner, "nodad", netns=self.netns)
        _ip("ip", "link", "set", self.inner, "up", netns=self.netns)
        _ip("ip", "addr", "add", f"{self.outer_address}/64", "dev", self.outer, "nodad")
        _ip("ip", "link", "set", self.outer, "up")

    def start_controller(self, timeout: float = 90.0) -> None:
        """Start (or start again) the controller in the namespace; return once its WebSocket answers."""
        from jibsa.adapters.matter.controller import ControllerOptions, check_factory_dir

        check_factory_dir()
        options = ControllerOptions(
            self.python,
            self.work / "controller",
            CONTROLLER_PORT,
            self.inner_address,
            self.paa,
            prefix=("ip", "netns", "exec", self.netns),
        )
        options.storage.mkdir(parents=True, exist_ok=True)
        (self.paa / ".version").write_text("test roots, not fetched\n")
        log = (options.storage / "controller.log").open("ab")
        self.controller = subprocess.Popen(
            options.argv(), stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.controller.poll() is not None:
                lines = (options.storage / "controller.log").read_text(errors="replace").splitlines()
                raise AssertionError("the Matter controller exited; the end of its log:\n" + "\n".join(lines[-12:]))
            probe = subprocess.run(
                ["ip", "netns", "exec", self.netns, "ss", "-Hltn", f"sport = :{CONTROLLER_PORT}"],
                capture_output=True,
                text=True,
                check=False,
            )
            if probe.stdout.strip():
                return
            time.sleep(0.2)
        raise AssertionError(f"the Matter controller did not listen within {timeout:g} s")

    def stop_controller(self) -> None:
        controller, self.controller = self.controller, None
        if controller is not None and controller.poll() is None:
            controller.terminate()
            try:
                controller.wait(20)
            except subprocess.TimeoutExpired:
                controller.kill()
                controller.wait()

    def run(self, argv: list[str], **popen: Any) -> subprocess.Popen[str]:
        """Start a process inside the lab's namespace (e.g. `jibsa serve --matter`)."""
        return subprocess.Popen(["ip", "netns", "exec", self.netns, *argv], text=True, **popen)

    def devices(self, *specs: tuple[str, str]) -> VirtualDevices:
        """Start virtual devices (kind, id) — kinds light, plug, lock, cover — in the lab."""
        group = VirtualDevices(self, list(specs), self.work / f"devices-{len(self.groups)}", self._started)
        self._started += len(specs)
        self.groups.append(group)
        return group

    def down(self) -> None:
        for group in self.groups:
            group.close()
        self.groups.clear()
        self.stop_controller()
        subprocess.run(["ip", "link", "del", self.outer], capture_output=True, check=False)
        subprocess.run(["ip", "netns", "del", self.netns], capture_output=True, check=False)
