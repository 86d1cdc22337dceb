#!/usr/bin/env bash
# Create (or reuse) the isolated virtual environment for the DfE SSDA903
# validator (PyPI: csc-validator-be-903). Idempotent: a second run with the
# same requirements.txt does nothing but check the venv still imports.
#
#   DFE_VENV    venv location (default: <repo root>/.venv-dfe903)
#   DFE_PYTHON  interpreter used to create it (default: python3; must be 3.10 or 3.11,
#               because the validator pins pandas<2 / numpy<1.25)
#
# Prints one summary line on success; exits non-zero (with the pip log tail) on failure.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HERE/../.." && pwd)"
VENV="${DFE_VENV:-$REPO_ROOT/.venv-dfe903}"
PY="${DFE_PYTHON:-python3}"
REQ="$HERE/requirements.txt"
STAMP="$VENV/.dfe903-requirements.sha256"

die() { echo "dfe903 setup: $*" >&2; exit 1; }

command -v "$PY" >/dev/null 2>&1 || die "interpreter '$PY' not found (set DFE_PYTHON)"
[ -f "$REQ" ] || die "missing $REQ"

want_hash="$(sha256sum "$REQ" | cut -d' ' -f1)"

check_import() {
    "$VENV/bin/python" - <<'EOF' 2>/dev/null
import logging
logging.disable(logging.CRITICAL)
from importlib.metadata import version
import lac_validator.lac_validator  # noqa: F401  (loads pandas, postcodes, authorities)
from lac_validator.rules.ruleset_utils import get_year_ruleset  # noqa: F401
print(version("csc-validator-be-903"))
EOF
}

# Fast path: venv exists, built from identical requirements, and imports.
if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_hash" ]; then
    if ver="$(check_import)"; then
        echo "dfe903: csc-validator-be-903==$ver ready in $VENV (already up to date)"
        exit 0
    fi
fi

# Interpreter must be 3.10/3.11 (pandas 1.5.3 / numpy 1.24.4 have no wheels for newer).
pyver="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
case "$pyver" in
    3.10|3.11) ;;
    *) die "need Python 3.10 or 3.11 for the validator venv, '$PY' is $pyver (set DFE_PYTHON)";;
esac

LOG="$(mktemp -t dfe903-setup.XXXXXX.log)"
trap 'rm -f "$LOG"' EXIT

fail() {
    echo "dfe903 setup: $*" >&2
    # pip prints harmless 'Location ... is ignored' warnings for absent local mirrors; hide them.
    grep -v "is ignored: it is neither a file nor a directory" "$LOG" | tail -n 30 >&2 || true
    exit 1
}

# Recreate the venv if it is missing, broken, or built by another Python minor version.
if [ -x "$VENV/bin/python" ]; then
    venvver="$("$VENV/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || echo none)"
    if [ "$venvver" != "$pyver" ]; then
        rm -rf "$VENV"
    fi
fi
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV" >>"$LOG" 2>&1 || fail "could not create venv at $VENV"
fi

export PIP_DISABLE_PIP_VERSION_CHECK=1
"$VENV/bin/python" -m pip install --quiet --no-input -r "$REQ" >>"$LOG" 2>&1 \
    || fail "pip install -r $REQ failed"

ver="$(check_import)" || fail "installed, but 'import lac_validator' fails in $VENV"
echo "$want_hash" >"$STAMP"
echo "dfe903: csc-validator-be-903==$ver installed in $VENV (python $pyver)"
