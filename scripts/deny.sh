#!/usr/bin/env bash
# What the workspace depends on, checked against deny.toml: licenses, bans and sources from
# Cargo.lock alone; advisories against the RustSec database, which lives on GitHub. Where
# GitHub cannot be reached, the advisories check says so in one line instead of failing, and
# the other checks still run; ADVISORY_DB=<a git copy of the database> checks against that
# copy, offline. Installs cargo-deny, at the pinned version, once.
set -euo pipefail
cd "$(dirname "$0")/.."
version=0.20.2
if [ "$(cargo deny --version 2>/dev/null)" != "cargo-deny $version" ]; then
  cargo install cargo-deny --version "$version" --locked --quiet
fi
cargo deny --locked check licenses bans sources
database=https://github.com/rustsec/advisory-db
if [ -n "${ADVISORY_DB:-}" ]; then
  # cargo-deny reads the default database from this folder of its db-path when offline.
  copy=$(mktemp -d)
  trap 'rm -rf "$copy"' EXIT
  git clone --quiet "$ADVISORY_DB" "$copy/advisory-db-3157b0e258782691"
  sed "s|^\[advisories\]|[advisories]\ndb-path = \"$copy\"|" deny.toml >"$copy/deny.toml"
  echo "advisories: against $ADVISORY_DB, as of $(git -C "$copy/advisory-db-3157b0e258782691" log -1 --format=%cs)" >&2
  cargo deny --locked --offline --config "$copy/deny.toml" check advisories
elif git ls-remote --quiet "$database" HEAD >/dev/null 2>&1; then
  cargo deny --locked check advisories
else
  echo "advisories: not checked: the RustSec database ($database) cannot be reached from here; ADVISORY_DB=<a copy> checks against a copy" >&2
fi
