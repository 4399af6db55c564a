#!/usr/bin/env bash
# On the GPU machine, inside the folder pack.sh wrote: runs the harness on CUDA with PyTorch's libtorch.
#   ./run.sh run --assignment ex08 --task 1.2 --profile full --device cuda
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
py=${PYTHON:-python3}
torch_lib=$("$py" -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))')
[ -f "$here/harness/libLibTorchSharp.so" ] || "$here/build-libtorchsharp.sh" "$here/harness"
export DOTNET_ROOT="$here/dotnet" LD_LIBRARY_PATH="$here/harness:$torch_lib:${LD_LIBRARY_PATH:-}"
exec "$here/dotnet/dotnet" "$here/harness/harness.dll" "$@"
