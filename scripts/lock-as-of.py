#!/usr/bin/env python3
"""Rewrites a crate's Cargo.lock as it would have resolved on a date: every package from
crates.io at its newest release published by then that the others' requirements allow.

    scripts/lock-as-of.py 2023-05-21 versions/tokio-1-28

Cargo resolves to today's releases; a runtime's figure depends on its whole lock (async-std
1.13 moved by half between two locks), so a folder under versions/ that stands for a past
release keeps a lock of that day, made by this script. It reads the release dates from
crates.io's sparse index (its `pubtime`) and moves each package with `cargo update --precise`,
over and over until nothing moves. Packages published only later keep today's release, and
are printed.
"""

import json
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

INDEX = "https://index.crates.io"


def index_path(name: str) -> str:
    name = name.lower()
    if len(name) <= 2:
        return f"{len(name)}/{name}"
    if len(name) == 3:
        return f"3/{name[0]}/{name}"
    return f"{name[:2]}/{name[2:4]}/{name}"


def releases(name: str, cache: dict) -> list:
    """(version, publication time) of every release not yanked, newest first."""
    if name not in cache:
        with urllib.request.urlopen(f"{INDEX}/{index_path(name)}", timeout=30) as reply:
            lines = reply.read().decode().splitlines()
        entries = [json.loads(line) for line in lines if line.strip()]
        found = [(e["vers"], e.get("pubtime", "")) for e in entries if not e["yanked"]]
        cache[name] = list(reversed(found))
    return cache[name]


def compatible(version: str, other: str) -> bool:
    """Whether Cargo's default requirement (`^version`) could take `other`: the same first
    number that is not 0. Only such a release can take a locked package's place."""
    def numbers(v: str) -> list:
        return [int(part) for part in v.split("-")[0].split("+")[0].split(".")]
    a, b = numbers(version), numbers(other)
    first = next((i for i, n in enumerate(a) if n != 0), len(a) - 1)
    return a[: first + 1] == b[: first + 1]


def locked(folder: Path) -> list:
    lock = tomllib.loads((folder / "Cargo.lock").read_text())
    return [
        (p["name"], p["version"])
        for p in lock.get("package", [])
        if p.get("source", "").startswith("registry+")
    ]


def cargo_update(folder: Path, name: str, current: str, version: str) -> bool:
    command = ["cargo", "update", "--quiet", "-p", f"{name}@{current}", "--precise", version]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    return done.returncode == 0


def one_pass(folder: Path, date: str, cache: dict, later: set) -> bool:
    """Moves every package it can to its release of `date`; whether any moved."""
    moved = False
    for name, current in locked(folder):
        by_then = [
            v
            for v, time in releases(name, cache)
            if time and time[:10] <= date and compatible(current, v)
        ]
        if not by_then:
            later.add(f"{name} {current}")
            continue
        if current in by_then[:1]:
            continue
        for version in by_then[:8]:
            if version == current or cargo_update(folder, name, current, version):
                moved = moved or version != current
                break
    return moved


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit("usage: scripts/lock-as-of.py YYYY-MM-DD FOLDER")
    date, folder = sys.argv[1], Path(sys.argv[2])
    subprocess.run(["cargo", "generate-lockfile", "--quiet"], cwd=folder, check=True)
    cache: dict = {}
    later: set = set()
    for _ in range(10):
        if not one_pass(folder, date, cache, later):
            break
    for name, version in locked(folder):
        if f"{name} {version}" in later:
            print(f"published after {date}, kept: {name} {version}")


if __name__ == "__main__":
    main()
