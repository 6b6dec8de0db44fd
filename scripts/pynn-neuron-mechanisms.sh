#!/usr/bin/env bash
# Compiles pyNN.neuron's NMODL mechanisms once, in the folder pyNN.neuron loads them from
# (<pyNN>/neuron/nmodl/<machine>/.libs/libnrnmech.so). Run it as a user who may write there (root for Debian's
# python3-pynn). Needs NEURON's development files and a C compiler (Debian: neuron-dev, libinterviews-dev, gcc).
#
# Debian 12's neuron-dev 8.2.2 cannot compile mechanisms as installed: nrnivmodl looks for nrnmech_makefile
# next to itself (Debian puts it in /usr/lib/nrn) and links -lnrniv from /usr/lib (Debian puts libnrniv.so in
# /usr/lib/nrn). Both are pointed at here; nothing outside the nmodl folder and a temporary folder is written.
# Where nrnivmodl works as installed, it runs unchanged.
set -euo pipefail
PYTHON=${PYTHON:-/usr/bin/python3}

say() { printf 'pynn-neuron-mechanisms: %s\n' "$*"; }
fail() { say "$*" >&2; exit 1; }

command -v nrnivmodl >/dev/null || fail "nrnivmodl not found: install NEURON's development files (Debian: apt-get install neuron-dev libinterviews-dev gcc)"
nmodl=$("$PYTHON" -c 'import os, pyNN; print(os.path.join(pyNN.__path__[0], "neuron", "nmodl"))') ||
  fail "$PYTHON cannot import pyNN (Debian: apt-get install python3-pynn)"
[ -d "$nmodl" ] || fail "no folder $nmodl: this PyNN has no NEURON backend"

# pyNN.neuron raises at import when the mechanisms are missing; once compiled there is nothing to do.
if "$PYTHON" -c 'import pyNN.neuron' >/dev/null 2>&1; then
  say "already compiled in $nmodl"
  exit 0
fi

bindir=$(dirname "$(command -v nrnivmodl)")
args=()
if [ ! -f "$bindir/nrnmech_makefile" ]; then
  makefile=$(ls /usr/lib/nrn/nrnmech_makefile /usr/lib/*/nrn/nrnmech_makefile 2>/dev/null | head -n 1 || true)
  [ -n "$makefile" ] || fail "nrnmech_makefile is neither in $bindir nor in /usr/lib/nrn: NEURON's development files are incomplete"
  shim=$(mktemp -d)
  trap 'rm -rf "$shim"' EXIT
  mkdir "$shim/bin"
  ln -s "$makefile" "$shim/bin/nrnmech_makefile"
  # nrnivmodl reads the makefile from $NRNHOME_EXEC/bin; everything else stays where the package put it.
  export NRNHOME_EXEC=$shim
  libdir=$(dirname "$makefile")
  [ -f "$libdir/libnrniv.so" ] && args=(-loadflags "-L$libdir -Wl,-rpath,$libdir")
fi

say "compiling the mechanisms in $nmodl"
log=$(mktemp)
if ! (cd "$nmodl" && nrnivmodl "${args[@]}" >"$log" 2>&1); then
  tail -n 30 "$log" >&2
  rm -f "$log"
  fail "nrnivmodl failed in $nmodl (output above)"
fi
rm -f "$log"
"$PYTHON" -c 'import pyNN.neuron' >/dev/null 2>&1 || fail "compiled, but pyNN.neuron still does not load: $PYTHON -c 'import pyNN.neuron' shows why"
say "compiled; pyNN.neuron loads"
