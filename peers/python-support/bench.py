"""What the Python programs share, apart from their tasks: the command line
(`<TASKS> [--sleep <SECONDS>]`), the launch events for the meter (BENCH_EVENTS), and the one
line and exit code of an error. Found through PYTHONPATH (each manifest sets it)."""
import math
import os
import re
import sys


def usage_error(message):
    """One line naming what is wrong, and exit 2."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def parse_args(args):
    """`<TASKS> [--sleep <SECONDS>]`, TASKS as 100000, 100_000, 100k or 1M."""
    tasks, sleep = None, 10.0
    args = iter(args)
    for arg in args:
        if arg == "--sleep":
            text = next(args, None)
            if text is None:
                usage_error("--sleep takes a number of seconds like 10 or 0.5")
            try:
                sleep = float(text)
            except ValueError:
                sleep = math.nan
            if not (math.isfinite(sleep) and sleep >= 0):
                usage_error(f"invalid sleep '{text}': expected a number of seconds >= 0 like 10 or 0.5")
        elif re.match(r"-[^0-9]", arg):
            usage_error(f"unexpected argument '{arg}': see the usage: <TASKS> [--sleep <SECONDS>]")
        elif tasks is not None:
            usage_error(f"unexpected argument '{arg}': give one task count")
        else:
            tasks = parse_tasks(arg)
    if tasks is None:
        usage_error("missing task count: give a whole number like 100000, 100k or 1M")
    return tasks, sleep


def parse_tasks(text):
    why = "must not be negative; " if text.startswith("-") else ""
    match = re.fullmatch(r"([0-9]+)([kKM]?)", text.replace("_", ""))
    if not match:
        usage_error(f"invalid task count '{text}': {why}expected a whole number like 100000, 100k or 1M")
    return int(match[1]) * {"": 1, "k": 1000, "K": 1000, "M": 1000000}[match[2]]


def open_events():
    """How to tell the meter of the launch: a line each to the pipe named by BENCH_EVENTS."""
    path = os.environ.get("BENCH_EVENTS")
    if not path:
        return lambda line: None
    pipe = open(path, "a", buffering=1)
    return lambda line: print(line, file=pipe, flush=True)
