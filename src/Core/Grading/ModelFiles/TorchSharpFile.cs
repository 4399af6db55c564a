using System.Text;
using static TorchSharp.torch;

namespace Harness.Core.Grading.ModelFiles;

/// <summary>
/// TorchSharp's own format (<c>module.save(path)</c>): a 7-bit-encoded count, then per tensor its name (a .NET string),
/// element type, rank, dimensions and raw data. Read here with every length checked against the file, so that a
/// corrupt file is a message rather than a huge allocation.
/// </summary>
public static class TorchSharpFile
{
    private sealed record Located(TensorEntry Entry, long DataOffset, long DataBytes);

    /// <summary>The declared tensors, or null when the bytes do not parse as this format at all (so that another is tried).</summary>
    public static IReadOnlyList<TensorEntry>? TryInspect(string path) => TryLocate(path)?.Select(l => l.Entry).ToList();

    public static Dictionary<string, Tensor> Read(string path, string display)
    {
        var located = TryLocate(path) ?? throw new ModelFileException($"{display} is not a TorchSharp module.save file.");
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        using var f = File.OpenRead(path);
        foreach (var l in located)
        {
            f.Position = l.DataOffset;
            var bytes = new byte[l.DataBytes];
            f.ReadExactly(bytes);
            var t = empty(l.Entry.Shape, DTypes.ScalarTypeOf(l.Entry.DType));
            t.bytes = bytes;
            result[l.Entry.Name] = t;
        }
        return result;
    }

    private static List<Located>? TryLocate(string path)
    {
        using var f = File.OpenRead(path);
        using var r = new BinaryReader(f, Encoding.UTF8, leaveOpen: true);
        try
        {
            long count = Decode(r);
            if (count < 0 || count > 100_000) return null;
            var result = new List<Located>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (long i = 0; i < count; i++)
            {
                // A .NET string: its 7-bit-encoded byte length, then UTF-8.
                int nameBytes = (int)Decode(r);
                if (nameBytes <= 0 || nameBytes > 4096 || nameBytes > f.Length - f.Position) return null;
                var name = new UTF8Encoding(false, true).GetString(r.ReadBytes(nameBytes));
                var type = (ScalarType)Decode(r);
                if (DTypes.FromScalarType(type) is not { } dtype || !Enum.IsDefined(type)) return null;
                long rank = Decode(r);
                if (rank < 0 || rank > 16) return null;
                var shape = new long[rank];
                for (int d = 0; d < rank; d++) { shape[d] = Decode(r); if (shape[d] < 0) return null; }
                var entry = new TensorEntry(name, dtype, shape);
                long bytes;
                try { bytes = checked(entry.Elements * DTypes.Size(dtype)); } catch (OverflowException) { return null; }
                if (bytes > f.Length - f.Position || !names.Add(name)) return null;
                result.Add(new Located(entry, f.Position, bytes));
                f.Position += bytes;
            }
            return f.Position == f.Length ? result : null;
        }
        catch (Exception e) when (e is EndOfStreamException or DecoderFallbackException or IOException) { return null; }
    }

    /// <summary>TorchSharp's 7-bit variable-length integer (BinaryWriter.Encode), at most ten bytes.</summary>
    private static long Decode(BinaryReader r)
    {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = r.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        return -1;
    }
}
