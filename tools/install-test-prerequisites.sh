#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK: Debian's python3 with torch and numpy (package python3-torch),
# which FreshRnVectorTests uses to run tools/reference/generate_rn_vectors.py and PolicyExportTests to load exported
# policies, and ffmpeg (with ffprobe), which `rlreg eval --mp4` drives and its test inspects. Does nothing, quickly, when
# present.
set -euo pipefail

python=/usr/bin/python3
if [ -x "$python" ] && "$python" -c 'import torch, numpy' 2>/dev/null && command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null; then
    echo "test prerequisites present: $python with torch and numpy, ffmpeg and ffprobe"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: $python with torch and numpy, or ffmpeg, is missing and apt-get is not available; install Debian's" \
         "python3-torch and ffmpeg (or make '$python -c \"import torch, numpy\"' and 'ffmpeg -version' succeed some other way)" >&2
    exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "error: $python with torch and numpy, or ffmpeg, is missing; installing them needs root:" \
         "sudo $0 (or: sudo apt-get install python3-torch ffmpeg)" >&2
    exit 1
fi

echo "installing python3-torch (torch and numpy for $python) and ffmpeg"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q python3-torch python3-numpy
apt-get install -y -q --no-install-recommends ffmpeg
"$python" -c 'import torch, numpy; print("installed: torch", torch.__version__, "numpy", numpy.__version__)'
ffmpeg -version | head -n 1
