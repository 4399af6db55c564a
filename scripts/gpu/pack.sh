#!/usr/bin/env bash
# On a machine with the .NET SDK: a framework-dependent publish of the harness without the CPU libtorch (the GPU machine
# brings PyTorch's), plus a copy of the .NET runtime, as one folder to carry to a GPU machine that has no .NET.
#   scripts/gpu/pack.sh [OUT_DIR]     → OUT_DIR/harness (≈23 MB) and OUT_DIR/dotnet (≈79 MB)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$root/gpu-pack}
mkdir -p "$out"
dotnet publish "$root/src/Cli" -c Release --self-contained false -o "$out/harness"
# The CPU libtorch and its TorchSharp build are replaced on the GPU machine (scripts/gpu/build-libtorchsharp.sh).
find "$out/harness" \( -name 'libtorch*.so*' -o -name 'libc10*.so*' -o -name 'libLibTorchSharp.so' -o -name 'libgomp*.so*' \) -delete
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p "$out/dotnet"
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$dotnet_root/shared" "$out/dotnet/"
cp "$root/scripts/gpu/run.sh" "$root/scripts/gpu/build-libtorchsharp.sh" "$out/"
du -sh "$out/harness" "$out/dotnet"
