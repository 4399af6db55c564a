using System.Text;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>
/// A named set of CPU tensors in a small binary file (name, dtype, shape, raw bytes), for checkpoints. TorchSharp's
/// own format needs a module to load into; best-epoch snapshots are plain dictionaries.
/// </summary>
public static class TensorFile
{
    private const string Magic = "HTF1";

    public static void Write(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var w = new BinaryWriter(File.Create(path), Encoding.UTF8);
        w.Write(Magic);
        w.Write(tensors.Count);
        foreach (var (name, t) in tensors)
        {
            using var cpu = t.detach().cpu().contiguous();
            w.Write(name);
            w.Write((int)cpu.dtype);
            w.Write(cpu.shape.Length);
            foreach (var d in cpu.shape) w.Write(d);
            var bytes = cpu.bytes;
            w.Write(bytes.Length);
            w.Write(bytes);
        }
    }

    /// <summary>The tensors of a file written by <see cref="Write"/>; the caller disposes them.</summary>
    public static Dictionary<string, Tensor> Read(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path), Encoding.UTF8);
        if (r.ReadString() != Magic) throw new InvalidDataException($"{path} is not a tensor file");
        int count = r.ReadInt32();
        var result = new Dictionary<string, Tensor>(count);
        for (int i = 0; i < count; i++)
        {
            var name = r.ReadString();
            var dtype = (ScalarType)r.ReadInt32();
            var shape = new long[r.ReadInt32()];
            for (int d = 0; d < shape.Length; d++) shape[d] = r.ReadInt64();
            var bytes = r.ReadBytes(r.ReadInt32());
            var t = empty(shape, dtype);
            t.bytes = bytes;
            result[name] = t.DetachFromDisposeScope();
        }
        return result;
    }
}
