"""Waiting for and stopping the servers the tests and benchmarks start."""

from __future__ import annotations

import ssl
import subprocess
import time
import urllib.request


def answers(url: str, process: subprocess.Popen[bytes], seconds: float) -> bool:
    """Whether `url` answers 200 within `seconds` (False at once if `process` exits)."""
    # The tests' nginx on loopback serves TLS with a self-signed certificate.
    context = ssl._create_unverified_context() if url.startswith("https:") else None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2, context=context) as response:
                if response.status == 200:
                    return True
        except OSError:
            if process.poll() is not None:
                return False
            time.sleep(0.2)
    return False


def stop(process: subprocess.Popen[bytes] | None, timeout: float = 15) -> None:
    """Terminate `process`, and kill it if it does not end within `timeout` seconds."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
