#!/usr/bin/env bash
# Creates .venv-bench with lifetimes 0.11.3 from PyPI, for `make bench`'s side-by-side run.
# lifetimes 0.11.3 imports and runs with what pip picks today (checked 2026-12-03: numpy 2.4.6,
# scipy 1.17.1, pandas 3.1.1, autograd 1.9.1); the import is checked at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${PYTHON:-python3}
[ -x .venv-bench/bin/python ] || "$python" -m venv .venv-bench
.venv-bench/bin/pip install -q lifetimes==0.11.3
.venv-bench/bin/python -c 'import lifetimes, numpy, scipy, pandas; print("lifetimes", lifetimes.__version__, "numpy", numpy.__version__, "scipy", scipy.__version__, "pandas", pandas.__version__)'
