#!/usr/bin/env bash
# `make test-portable`: run every notebook again under strict nbval as another learner's machine
# would: the plainest CPU kernels (ATEN_CPU_CAPABILITY=default), matrix products rounded
# differently (DLSTUDY_PERTURB=1, see tests/perturb/perturb.py) and Graphviz's `dot` hidden.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}

# A PATH without `dot`: folders that hold it are replaced by a folder of links to everything else.
nodot=$(mktemp -d)
trap 'rm -rf "$nodot"' EXIT
kept=()
IFS=: read -ra dirs <<< "$PATH"
for d in "${dirs[@]}"; do
    if [ -e "$d/dot" ]; then
        for f in "$d"/*; do
            name=$(basename "$f")
            [ "$name" = dot ] || [ -e "$nodot/$name" ] || [ -L "$nodot/$name" ] || ln -s "$f" "$nodot/$name"
        done
    else
        kept+=("$d")
    fi
done
path="$nodot$(printf ':%s' "${kept[@]}")"
if PATH="$path" command -v dot >/dev/null; then
    echo "test-portable: could not hide dot from PATH" >&2
    exit 1
fi

echo "test-portable: ATEN_CPU_CAPABILITY=default DLSTUDY_PERTURB=1, no dot on PATH"
[ "$#" -gt 0 ] || set -- notebooks -n 2 --dist loadfile
PATH="$path" ATEN_CPU_CAPABILITY=default DLSTUDY_PERTURB=1 "$python" -m pytest "$@"
