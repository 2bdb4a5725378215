"""Run from jibsa's checkout (`./run-tests examples/jibsa-skill-recycling/tests`) or after
`pip install -e .` here: the package's source is put first on the path either way."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
