using System.Text;
using static TorchSharp.torch;

namespace Harness.Core.Grading.ModelFiles;

/// <summary>
/// A submitted model file, recognised by its content (not its name): a PyTorch state_dict (torch.save), safetensors, or
/// TorchSharp's module.save format. <see cref="Open"/> refuses a file above the size limit before reading a byte of it,
/// and checks the file's structure; <see cref="Entries"/> are its declared tensors (names, types, shapes), known before
/// any tensor is read; <see cref="ReadTensors"/> reads them.
/// </summary>
public sealed class ModelFile
{
    public const string PyTorch = "PyTorch state_dict (torch.save)", Safetensors = "safetensors", TorchSharp = "TorchSharp (module.save)";

    private readonly Func<Dictionary<string, Tensor>> _read;

    private ModelFile(string format, IReadOnlyList<TensorEntry> entries, Func<Dictionary<string, Tensor>> read)
    {
        Format = format; Entries = entries; _read = read;
    }

    public string Format { get; }
    public IReadOnlyList<TensorEntry> Entries { get; }

    /// <summary>The tensors (CPU; the caller disposes them).</summary>
    public Dictionary<string, Tensor> ReadTensors() => _read();

    /// <param name="display">the file as the student named it (in every message)</param>
    public static ModelFile Open(string path, string display, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ModelFileException($"{display} is not in the submission (submission.json names it).");
        if (info.Length > maxBytes)
            throw new ModelFileException($"{display} is {Size(info.Length)}, above the grader's limit of {Size(maxBytes)} per model file; it was not read. Submit the state_dict alone (torch.save(model.state_dict(), path)), not a checkpoint with optimiser state or data.");
        if (info.Length == 0) throw new ModelFileException($"{display} is empty (0 bytes): the upload failed or the file was saved before training wrote it.");
        var head = new byte[Math.Min(16, info.Length)];
        using (var f = File.OpenRead(path)) f.ReadExactly(head);

        if (PyTorchFile.IsZip(head))
            return new ModelFile(PyTorch, PyTorchFile.Inspect(path, display, maxBytes), () => PyTorchFile.Read(path, display, maxBytes));
        if (PyTorchFile.IsPickle(head))
            throw PyTorchFile.RefusePickleFile(File.ReadAllBytes(path), display);
        if (SafetensorsFile.Looks(head, info.Length))
            return new ModelFile(Safetensors, SafetensorsFile.Inspect(path, display), () => SafetensorsFile.Read(path, display));
        if (TorchSharpFile.TryInspect(path) is { } entries)
            return new ModelFile(TorchSharp, entries, () => TorchSharpFile.Read(path, display));
        throw new ModelFileException($"{display} is not a model file this grader reads{Guess(head)}. Submit a PyTorch state_dict (torch.save(model.state_dict(), path)), a safetensors file or a TorchSharp module.save file.");
    }

    /// <summary>What the first bytes suggest the file is, for the message.</summary>
    private static string Guess(byte[] head)
    {
        var text = Encoding.ASCII.GetString(head.Select(b => b is >= 32 and < 127 ? b : (byte)'.').ToArray());
        var hex = string.Join(" ", head.Take(8).Select(b => b.ToString("x2")));
        var what = text.StartsWith("<", StringComparison.Ordinal) ? " — it looks like an HTML or XML page (a download link saved instead of the file?)"
            : text.TrimStart().StartsWith("{", StringComparison.Ordinal) ? " — it looks like JSON (a notebook or settings file?)"
            : head.Length >= 3 && head[0] == 0x1f && head[1] == 0x8b ? " — it is gzip-compressed; submit the file itself"
            : head.Length >= 4 && head[0] == 0x89 && text[1..4] == "HDF" ? " — it is an HDF5 file (Keras?)"
            : "";
        return $" (it starts with the bytes {hex}{what})";
    }

    public static string Size(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):0.##} GiB"
        : bytes >= 1 << 20 ? $"{bytes / (double)(1 << 20):0.#} MiB" : $"{bytes:N0} bytes";
}
