#!/usr/bin/env bash
# Builds TorchSharp's native library (libLibTorchSharp.so, TorchSharp 0.107.0, MIT) against the libtorch of an installed
# PyTorch wheel, for GPU machines that have PyTorch with CUDA but neither the .NET SDK nor the TorchSharp-cuda-linux
# package. Then the harness runs there as a framework-dependent publish with a carried .NET runtime (scripts/gpu/pack.sh
# on a machine with the SDK, scripts/gpu/run.sh on the GPU machine).
#
#   scripts/gpu/build-libtorchsharp.sh [OUT_DIR]        (needs cmake, ninja or make, a C++17 compiler, python3 with torch)
#
# Environment: PYTHON (default python3), TORCHSHARP_NATIVE (default ../shared/vendor/TorchSharp-native-0.107.0).
# The library is linked with an rpath to the wheel's torch/lib, so libtorch, libc10 and libtorch_cuda come from PyTorch.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
src=${TORCHSHARP_NATIVE:-$root/../shared/vendor/TorchSharp-native-0.107.0}
out=${1:-$root/native-gpu}
py=${PYTHON:-python3}
[ -f "$src/src/Native/CMakeLists.txt" ] || { echo "TorchSharp's native source is not at $src (set TORCHSHARP_NATIVE)"; exit 2; }
torch_dir=$("$py" -c 'import os, torch; print(os.path.dirname(torch.__file__))') \
  || { echo "$py cannot import torch: install PyTorch (with CUDA) or set PYTHON"; exit 2; }
"$py" -c 'import torch; print("PyTorch", torch.__version__, "CUDA", torch.version.cuda, "available:", torch.cuda.is_available())'
abi=$("$py" -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')

build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
# TorchSharp's CMakeLists reads a version source and _version.h from the build tree (as its build.sh writes them).
mkdir -p "$build/obj" "$build/bin/obj"
echo 'static char sccsid[] __attribute__((used)) = "@(#)TorchSharp 0.107.0 native, built by harness scripts/gpu";' > "$build/obj/version.c"
: > "$build/_version.h"; : > "$build/bin/_version.h"
generator=$(command -v ninja >/dev/null && echo Ninja || echo "Unix Makefiles")
export __CMakeBinDir="$out"
cmake -S "$src/src/Native" -B "$build/bin/obj" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
  -DLIBTORCH_PATH="$torch_dir/share/cmake/Torch" -DCMAKE_PREFIX_PATH="$torch_dir/share/cmake" \
  -DVERSION_FILE_PATH="$build/obj/version.c" -DCMAKE_CXX_STANDARD=17 \
  -DCMAKE_CXX_FLAGS="-D_GLIBCXX_USE_CXX11_ABI=$abi" \
  -DCMAKE_INSTALL_RPATH="$torch_dir/lib" -DCMAKE_BUILD_WITH_INSTALL_RPATH=ON
cmake --build "$build/bin/obj" --parallel "$(nproc)"
mkdir -p "$out"
find "$build/bin/obj" -name 'libLibTorchSharp.so' -exec cp {} "$out/" \;
[ -f "$out/libLibTorchSharp.so" ] || { echo "the build produced no libLibTorchSharp.so"; exit 1; }
echo "built $out/libLibTorchSharp.so against $torch_dir/lib"
