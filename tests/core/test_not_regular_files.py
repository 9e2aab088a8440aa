"""A FIFO (or a device, a socket) given where a file is read: refused at once with one line, never
opened (opening a FIFO waits for a writer for ever)."""

from __future__ import annotations

import os
import threading

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")


def in_time(call, fifo):
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("result", call()), daemon=True)
    thread.start()
    thread.join(5)
    if thread.is_alive():  # a reader is waiting on the FIFO: give it an end so the thread finishes
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(15)
        pytest.fail(f"hung reading {fifo}")
    return box["result"]


@pytest.mark.parametrize("command", [("annotate", "render"), ("annotate", "check"), ("export", "import")])
def test_a_fifo_given_directly_is_refused_in_one_line(cli, tmp_path, ws_path, command):
    fifo = tmp_path / ("rohr.csv" if command[0] == "export" else "rohr.yaml")
    os.mkfifo(fifo)
    extra = ("--workspace", ws_path) if command[0] == "export" else ()
    result = in_time(lambda: cli(*command, fifo, *extra), fifo)
    assert result.exit_code != 0 and "internal error" not in result.output, result.output
    assert [line for line in result.output.splitlines() if f"{fifo}" in line and "a FIFO (named pipe), not a file" in line]
