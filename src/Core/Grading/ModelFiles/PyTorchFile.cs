using System.Collections;
using System.IO.Compression;
using System.Numerics;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Harness.Core.Grading.ModelFiles;

/// <summary>
/// A state_dict written by torch.save: a zip archive holding <c>&lt;name&gt;/data.pkl</c> (the pickle that rebuilds the
/// tensors) and one <c>&lt;name&gt;/data/&lt;key&gt;</c> entry per storage. The archive's layout and its pickle are
/// checked first (<see cref="PickleInspector"/>: no code, names and shapes as declared, each storage exactly the bytes
/// its tensor needs, stored uncompressed); only then does TorchSharp.PyBridge read the tensors, which restores tensors
/// and runs nothing. The legacy format (before PyTorch 1.6) and plain pickles are inspected the same way and then
/// refused with what to do, since PyBridge reads only the zip format.
/// </summary>
public static class PyTorchFile
{
    /// <summary>The pickle of a state_dict of any model here is a few hundred kilobytes; this bounds what is read into memory.</summary>
    public const int MaxPickleBytes = 64 << 20;
    /// <summary>torch.save's legacy files start with this number, pickled (torch.serialization's MAGIC_NUMBER).</summary>
    private static readonly BigInteger LegacyMagic = BigInteger.Parse("119547037146038801333356");

    private static readonly string[] Metadata = ["version", "byteorder", ".data/version", ".data/serialization_id", ".format_version", ".storage_alignment"];

    public static bool IsZip(ReadOnlySpan<byte> head) => head.Length >= 4 && head[0] == 0x50 && head[1] == 0x4b && head[2] == 0x03 && head[3] == 0x04;
    public static bool IsPickle(ReadOnlySpan<byte> head) => head.Length >= 2 && head[0] == 0x80 && head[1] is >= 2 and <= 5;

    /// <summary>The tensors the archive declares (names, element types, shapes), after every check; nothing is loaded.</summary>
    public static IReadOnlyList<TensorEntry> Inspect(string path, string display, long maxBytes)
    {
        using var zip = Open(path, display);
        return Check(zip, display, maxBytes).Select(t => t.Entry).ToList();
    }

    /// <summary>The tensors, read by TorchSharp.PyBridge once <see cref="Inspect"/>'s checks hold (the caller disposes them).</summary>
    public static Dictionary<string, Tensor> Read(string path, string display, long maxBytes)
    {
        using (var zip = Open(path, display)) Check(zip, display, maxBytes);
        using var stream = File.OpenRead(path);
        Hashtable table;
        try { table = PyTorchUnpickler.UnpickleStateDict(stream); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new ModelFileException($"{display} passed every check but TorchSharp.PyBridge could not read it ({e.Message.TrimEnd('.')}). Save it again with torch.save(model.state_dict(), \"{Path.GetFileName(display)}\").");
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in table)
            if (e.Key is string k && e.Value is Tensor t) result[k] = t;
        return result;
    }

    /// <summary>A legacy torch.save file or a plain pickle: inspected (so that code in it is named), then refused.</summary>
    public static ModelFileException RefusePickleFile(byte[] bytes, string display)
    {
        var first = PickleInspector.Inspect(bytes, 0, bytes.Length, display);
        if (first.Root is BigInteger magic && magic == LegacyMagic)
        {
            // magic number, protocol version, system info, the object itself, then the storage keys: five pickles.
            int at = first.Length;
            for (int i = 0; i < 4 && at < bytes.Length && IsPickle(bytes.AsSpan(at)); i++)
                at += PickleInspector.Inspect(bytes, at, bytes.Length, display).Length;
            return new ModelFileException($"{display} was saved in PyTorch's legacy format (before 1.6, or with _use_new_zipfile_serialization=False), which this grader does not read. Save it again with torch.save(model.state_dict(), \"{Path.GetFileName(display)}\") from PyTorch 1.6 or later.");
        }
        return new ModelFileException($"{display} is a plain Python pickle, not a file written by torch.save. Save the model's weights with torch.save(model.state_dict(), \"{Path.GetFileName(display)}\").");
    }

    private static ZipArchive Open(string path, string display)
    {
        try { return ZipFile.OpenRead(path); }
        catch (InvalidDataException) { throw new ModelFileException($"{display} starts like a zip archive (as torch.save writes) but is not a readable one: it is truncated or corrupt. Upload the file again, or save it again with torch.save(model.state_dict(), \"{Path.GetFileName(display)}\")."); }
    }

    private sealed record Checked(TensorEntry Entry, PickleInspector.TensorRef Ref);

    private static IReadOnlyList<Checked> Check(ZipArchive zip, string display, long maxBytes)
    {
        string fix = $"save it with torch.save(model.state_dict(), \"{Path.GetFileName(display)}\")";
        if (zip.Entries.Count > 100_000) throw new ModelFileException($"{display} is a zip archive of {zip.Entries.Count:N0} entries, not a state_dict: {fix}.");
        var names = zip.Entries.Select(e => e.FullName).ToList();
        var roots = names.Select(n => n.Split('/')[0]).Distinct().ToList();
        if (names.Any(n => n.Contains("/code/", StringComparison.Ordinal) || n.EndsWith("/constants.pkl", StringComparison.Ordinal)))
            throw new ModelFileException($"{display} is a TorchScript archive (torch.jit.save), which holds code; {fix} instead.");
        var pickles = zip.Entries.Where(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal)).ToList();
        if (pickles.Count == 0)
            throw new ModelFileException($"{display} is a zip archive, but not one written by torch.save (it holds {string.Join(", ", names.Take(5))}{(names.Count > 5 ? ", …" : "")}): {fix}.");
        if (roots.Count != 1 || pickles.Count != 1 || pickles[0].FullName != roots[0] + "/data.pkl")
            throw new ModelFileException($"{display} is not laid out as torch.save writes it (one folder holding data.pkl and data/; found {string.Join(", ", pickles.Select(p => p.FullName))}): {fix}.");
        var root = roots[0] + "/";
        foreach (var n in names)
        {
            var local = n[root.Length..];
            if (!(Metadata.Contains(local) || local.StartsWith("data/", StringComparison.Ordinal) && local.Length > 5 && !local[5..].Contains('/') || local == "data.pkl" || local.EndsWith('/')))
                throw new ModelFileException($"{display} holds {n}, which torch.save does not write: {fix}.");
        }
        if (zip.GetEntry(root + "byteorder") is { } order && ReadText(order, 16) is var o && o.Trim() != "little")
            throw new ModelFileException($"{display} was written on a {o.Trim()}-endian machine; this grader reads little-endian files: {fix} on a usual (x86 or ARM) machine.");
        var pkl = pickles[0];
        if (pkl.Length > MaxPickleBytes) throw new ModelFileException($"{display}'s pickle is {pkl.Length:N0} bytes, far more than any state_dict's: {fix}.");
        var bytes = ReadAll(pkl, (int)pkl.Length, display);
        var inspected = PickleInspector.Inspect(bytes, 0, bytes.Length, display);
        if (inspected.Length != bytes.Length) throw new ModelFileException($"{display}'s pickle has {bytes.Length - inspected.Length:N0} bytes after its end: {fix}.");

        var tensors = StateDict(inspected.Root, display, fix);
        long total = 0;
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var result = new List<Checked>();
        foreach (var (name, t) in tensors)
        {
            if (t.Parameter) throw new ModelFileException($"{display} holds nn.Parameter objects (e.g. {name}), as saving dict(model.named_parameters()) does; {fix}, which holds plain tensors.");
            var entry = new TensorEntry(name, t.Storage.DType, t.Shape);
            long elements;
            try { elements = entry.Elements; } catch (OverflowException) { throw new ModelFileException($"{display} declares {name} with an impossible shape {entry.ShapeText}."); }
            if (keys.TryGetValue(t.Storage.Key, out var other))
                throw new ModelFileException($"{display}: {name} shares its storage with {other} (tied or sliced weights); save copies: torch.save({{k: v.clone() for k, v in model.state_dict().items()}}, \"{Path.GetFileName(display)}\").");
            keys[t.Storage.Key] = name;
            if (t.Offset != 0 || t.Storage.Elements != elements || !Contiguous(t.Shape, t.Stride))
                throw new ModelFileException($"{display}: {name} is a view (offset {t.Offset}, stride [{string.Join(", ", t.Stride)}], storage of {t.Storage.Elements:N0} elements for {elements:N0}); save contiguous copies: torch.save({{k: v.contiguous().clone() for k, v in model.state_dict().items()}}, \"{Path.GetFileName(display)}\").");
            var bytesNeeded = elements * DTypes.Size(t.Storage.DType);
            total += bytesNeeded;
            if (total > maxBytes) throw new ModelFileException($"{display} declares more than {maxBytes:N0} bytes of tensors, above the grader's limit.");
            // PyBridge finds a storage as the entry whose name ends in data/<key>: there must be exactly that one entry,
            // holding exactly the tensor's bytes (torch.save stores it; PyBridge's own save_py deflates it, and reads it back).
            var matches = zip.Entries.Where(e => e.FullName.EndsWith("data/" + t.Storage.Key, StringComparison.Ordinal)).ToList();
            if (matches.Count != 1 || matches[0].FullName != root + "data/" + t.Storage.Key)
                throw new ModelFileException($"{display}: the data of {name} (storage '{t.Storage.Key}') is {(matches.Count == 0 ? "missing from the archive (it is truncated)" : "ambiguous in the archive")}: {fix}.");
            if (matches[0].Length != bytesNeeded)
                throw new ModelFileException($"{display}: the data of {name} is {matches[0].Length:N0} bytes, but {entry.ShapeText} of {entry.DType} needs {bytesNeeded:N0} (the file is corrupt or was edited): {fix}.");
            result.Add(new Checked(entry, t));
        }
        return result;
    }

    /// <summary>The (name, tensor) entries of the pickle's root object, or what it is instead, in words.</summary>
    private static List<(string Name, PickleInspector.TensorRef Tensor)> StateDict(object? root, string display, string fix)
    {
        if (root is not PickleInspector.PDict d)
            throw new ModelFileException($"{display} holds {Describe(root)}, not a state_dict (a dictionary of tensors): {fix}.");
        var result = new List<(string, PickleInspector.TensorRef)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (k, v) in d.Items)
        {
            if (k is not string name) throw new ModelFileException($"{display} holds a dictionary with a key that is not a name ({Describe(k)}): {fix}.");
            if (v is PickleInspector.TensorRef t) { if (seen.Add(name)) result.Add((name, t)); else throw new ModelFileException($"{display} names {name} twice: {fix}."); continue; }
            var looksLikeCheckpoint = d.Items.Any(i => i.Value is PickleInspector.PDict);
            throw new ModelFileException(looksLikeCheckpoint
                ? $"{display} holds a dictionary of {string.Join(", ", d.Items.Select(i => $"'{i.Key}'").Take(6))} — a training checkpoint, not a state_dict. Save the model's weights alone: torch.save(model.state_dict(), \"{Path.GetFileName(display)}\")."
                : $"{display}: the entry '{name}' is {Describe(v)}, not a tensor: {fix}.");
        }
        return result;
    }

    private static string Describe(object? v) => v switch
    {
        null => "None",
        PickleInspector.PList => "a list",
        PickleInspector.PTuple => "a tuple",
        PickleInspector.PDict => "a dictionary",
        PickleInspector.TensorRef => "a single tensor",
        string s => $"the text '{(s.Length > 20 ? s[..20] + "…" : s)}'",
        long or double or BigInteger => "a number",
        bool => "a boolean",
        byte[] => "bytes",
        _ => "an object",
    };

    private static bool Contiguous(long[] shape, long[] stride)
    {
        if (shape.Length != stride.Length) return false;
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && stride[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    private static string ReadText(ZipArchiveEntry e, int max) => System.Text.Encoding.ASCII.GetString(ReadAll(e, (int)Math.Min(e.Length, max), e.FullName));

    /// <summary>Reads an entry's declared length and no more (a lying size in the archive cannot make this read further).</summary>
    private static byte[] ReadAll(ZipArchiveEntry e, int length, string display)
    {
        var buffer = new byte[length];
        try
        {
            using var s = e.Open();
            int read = 0;
            while (read < length && s.Read(buffer, read, length - read) is var n && n > 0) read += n;
            if (read != length) throw new ModelFileException($"{display} is truncated: {e.FullName} holds {read:N0} of its {length:N0} bytes.");
        }
        catch (InvalidDataException) { throw new ModelFileException($"{display} is corrupt: {e.FullName} cannot be read."); }
        return buffer;
    }
}
