#!/bin/sh
# Make a throw-away venv with CPU torch and resemblyzer, then convert the speaker encoder
# (scripts/convert_speaker_encoder.py). webrtcvad-wheels provides resemblyzer's webrtcvad import
# as a wheel; resemblyzer itself is installed without its pins (it asks for the sdist webrtcvad).
set -eu
VENV=${VENV:-/tmp/jibsa-speaker-convert}
python3 -m venv "$VENV"
# A CPU build of torch: here it comes from the local wheel folder (pip's find-links); elsewhere pass
# TORCH_WHEEL=torch==2.13.0+cpu with PyTorch's CPU index in PIP_EXTRA_INDEX_URL. Never a CUDA build.
"$VENV/bin/pip" install -q --only-binary=:all: "${TORCH_WHEEL:-torch==2.13.0+cpu}"
"$VENV/bin/pip" install -q onnx librosa scipy webrtcvad-wheels
"$VENV/bin/pip" install -q --no-deps resemblyzer==0.1.4
exec "$VENV/bin/python" "$(dirname "$0")/convert_speaker_encoder.py" "$@"
