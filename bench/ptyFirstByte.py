"""Runs a command on a pseudo-terminal of a given size, the way a person's terminal runs
`docker exec -it`, and reports in JSON when the first output byte arrived and when a pattern
first appeared, in seconds from just before the fork (the interpreter's own start-up is not
counted). Used as the by-hand baseline of the benchmark.

usage: ptyFirstByte.py COLUMNS ROWS PATTERN TIMEOUT_S -- ARGV...
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time

columns, rows = int(sys.argv[1]), int(sys.argv[2])
pattern, timeout = sys.argv[3], float(sys.argv[4])
argv = sys.argv[sys.argv.index("--") + 1 :]
wanted = re.compile(pattern.encode()) if pattern else None

started = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    # Set on the child's own side before exec, so the docker CLI reads the size at once.
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    os.execvp(argv[0], argv)

first = None
matched = None
output = b""
deadline = started + timeout
while time.monotonic() < deadline:
    ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
    if not ready:
        break
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    now = time.monotonic()
    if first is None:
        first = now - started
    output += chunk
    if wanted and matched is None and wanted.search(output):
        matched = now - started
        break

if matched is not None or first is None or wanted:
    # Interactive CLIs keep running; Ctrl+C twice asks them to end like a person would.
    try:
        os.write(fd, b"\x03")
        time.sleep(0.2)
        os.write(fd, b"\x03")
    except OSError:
        pass
end = time.monotonic() + 5
status = None
while time.monotonic() < end:
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    try:
        if select.select([fd], [], [], 0.1)[0]:
            os.read(fd, 65536)
    except OSError:
        pass
else:
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)

tail = output[-300:].decode("utf-8", "replace")
print(json.dumps({"first": first, "matched": matched, "tail": tail}))
