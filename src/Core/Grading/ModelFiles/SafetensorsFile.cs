using System.Buffers.Binary;
using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Harness.Core.Grading.ModelFiles;

/// <summary>
/// A safetensors file: an 8-byte little-endian header length, a JSON header (name → dtype, shape, data offsets) and the
/// raw data. The header is checked here (bounded, every tensor inside the data and exactly its size, no overlaps)
/// before TorchSharp.PyBridge reads the tensors.
/// </summary>
public static class SafetensorsFile
{
    /// <summary>Headers of state_dicts are kilobytes; this bounds what is parsed.</summary>
    public const long MaxHeaderBytes = 16 << 20;

    /// <summary>Whether the first bytes look like a safetensors header (a plausible length, then '{').</summary>
    public static bool Looks(ReadOnlySpan<byte> head, long fileLength) =>
        head.Length >= 9 && BinaryPrimitives.ReadUInt64LittleEndian(head) is var n && n >= 2 && (long)n <= fileLength - 8 && head[8] == (byte)'{';

    public static IReadOnlyList<TensorEntry> Inspect(string path, string display)
    {
        string fix = "save it again with safetensors.torch.save_file(model.state_dict(), path)";
        using var f = File.OpenRead(path);
        var lengthBytes = new byte[8];
        if (f.Read(lengthBytes, 0, 8) != 8) throw new ModelFileException($"{display} is truncated (shorter than a safetensors header).");
        var n = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (n > (ulong)MaxHeaderBytes || (long)n > f.Length - 8) throw new ModelFileException($"{display}'s safetensors header claims {n:N0} bytes, more than the file or any model's header holds: {fix}.");
        var header = new byte[n];
        f.ReadExactly(header);
        long dataLength = f.Length - 8 - (long)n;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(header, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new ModelFileException($"{display}'s safetensors header is not valid JSON ({e.Message.Split(" LineNumber:")[0]}): {fix}."); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new ModelFileException($"{display}'s safetensors header is not a JSON object: {fix}.");
            var entries = new List<TensorEntry>();
            var spans = new List<(long Begin, long End, string Name)>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                string Bad(string what) => $"{display}: the header entry '{p.Name}' {what}: {fix}.";
                if (p.Value.ValueKind != JsonValueKind.Object) throw new ModelFileException(Bad("is not an object"));
                if (!p.Value.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String || DTypes.FromSafetensors(dt.GetString()!) is not { } dtype)
                    throw new ModelFileException(Bad("has no dtype this grader reads (F32, F64, F16, BF16, I64, I32, I16, I8, U8, BOOL)"));
                if (!p.Value.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array || sh.GetArrayLength() > 16
                    || sh.EnumerateArray().Any(d => d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var v) || v < 0))
                    throw new ModelFileException(Bad("has no shape of whole numbers ≥ 0"));
                var shape = sh.EnumerateArray().Select(d => d.GetInt64()).ToArray();
                if (!p.Value.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2
                    || !off[0].TryGetInt64(out var begin) || !off[1].TryGetInt64(out var end) || begin < 0 || end < begin || end > dataLength)
                    throw new ModelFileException(Bad($"has data offsets outside the file's {dataLength:N0} bytes of data (the file is truncated or corrupt)"));
                var entry = new TensorEntry(p.Name, dtype, shape);
                long bytes;
                try { bytes = checked(entry.Elements * DTypes.Size(dtype)); } catch (OverflowException) { throw new ModelFileException(Bad("has an impossible shape")); }
                if (end - begin != bytes) throw new ModelFileException(Bad($"holds {end - begin:N0} bytes, but {entry.ShapeText} of {dtype} needs {bytes:N0}"));
                entries.Add(entry);
                spans.Add((begin, end, p.Name));
            }
            var ordered = spans.OrderBy(s => s.Begin).ToList();
            for (int i = 1; i < ordered.Count; i++)
                if (ordered[i].Begin < ordered[i - 1].End)
                    throw new ModelFileException($"{display}: the data of '{ordered[i].Name}' overlaps that of '{ordered[i - 1].Name}': {fix}.");
            return entries;
        }
    }

    /// <summary>The tensors, read by TorchSharp.PyBridge once <see cref="Inspect"/>'s checks hold (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Read(string path, string display)
    {
        Inspect(path, display);
        try { return Safetensors.LoadStateDict(path).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelFileException($"{display} passed every check but TorchSharp.PyBridge could not read it ({e.Message.TrimEnd('.')}); save it again with safetensors.torch.save_file(model.state_dict(), path).");
        }
    }
}
