#!/usr/bin/env bash
# Makes .venv at the repo root: PyTorch 2.13 CPU, transformers and NumPy, the references of the parity and interop tests.
# --retries 0: where only a local wheel index answers, an unreachable default index fails at once instead of retrying.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x .venv/bin/python ] && .venv/bin/python -c 'import torch, transformers, numpy' 2>/dev/null; then
  echo ".venv: PyTorch $(.venv/bin/python -c 'import torch; print(torch.__version__)') and transformers present"
  exit 0
fi
python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check --retries 0 --timeout 10 torch==2.13.0+cpu transformers numpy \
  2> >(grep -v 'is ignored: it is neither a file nor a directory' >&2)
.venv/bin/python -c 'import torch, transformers; print(f".venv: PyTorch {torch.__version__}, transformers {transformers.__version__}")'
