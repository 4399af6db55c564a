using System.IO.Compression;
using System.Text;
using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Harness.Spec.Grading;

/// <summary>
/// Builds submission folders as students produce them: models saved with TorchSharp in PyTorch's format (PyBridge),
/// safetensors or TorchSharp's own, and bad files crafted byte by byte (a pickle that would call os.system, a truncated
/// archive, an HTML page, a 5 GB sparse file).
/// </summary>
public static class Submissions
{
    public enum Format { PyTorch, Safetensors, TorchSharp }

    /// <summary>Writes <paramref name="model"/>'s state_dict to <paramref name="path"/> in <paramref name="format"/>.</summary>
    public static void Save(nn.Module model, string path, Format format = Format.PyTorch)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        switch (format)
        {
            case Format.PyTorch: model.save_py(path); break;
            case Format.Safetensors: model.save_safetensors(path); break;
            default: model.save(path); break;
        }
    }

    /// <summary>A folder <paramref name="id"/> under <paramref name="root"/> with a submission.json naming each task's file.</summary>
    public static string Folder(string root, string id, string? student, IReadOnlyDictionary<string, string> tasks, string? notes = null)
    {
        var folder = Path.Combine(root, id);
        Directory.CreateDirectory(folder);
        var manifest = new Dictionary<string, object?> { ["tasks"] = tasks };
        if (student is not null) manifest["student"] = student;
        if (notes is not null) manifest["notes"] = notes;
        File.WriteAllText(Path.Combine(folder, "submission.json"), JsonSerializer.Serialize(manifest));
        return folder;
    }

    /// <summary>A pickle (protocol 2) that Python's unpickler would run as os.system("touch PWNED"): GLOBAL, argument tuple, REDUCE.</summary>
    public static byte[] OsSystemPickle()
    {
        var b = new List<byte> { 0x80, 0x02 };
        b.AddRange(Encoding.ASCII.GetBytes("cos\nsystem\n"));                // GLOBAL os.system
        var arg = Encoding.ASCII.GetBytes("touch PWNED");
        b.Add((byte)'X'); b.AddRange(BitConverter.GetBytes(arg.Length)); b.AddRange(arg);   // BINUNICODE
        b.Add(0x85);                                                         // TUPLE1
        b.Add((byte)'R');                                                    // REDUCE
        b.Add((byte)'.');                                                    // STOP
        return b.ToArray();
    }

    /// <summary>A zip laid out as torch.save writes it (archive/data.pkl, archive/version) whose data.pkl is <paramref name="pickle"/>.</summary>
    public static void TorchZipWithPickle(string path, byte[] pickle)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle);
        using (var s = zip.CreateEntry("archive/version", CompressionLevel.NoCompression).Open()) s.Write("3\n"u8);
    }

    /// <summary>A file of <paramref name="bytes"/> that takes no disk space (sparse): the size limit must refuse it unread.</summary>
    public static void Sparse(string path, long bytes)
    {
        using var f = new FileStream(path, FileMode.Create);
        f.SetLength(bytes);
    }

    /// <summary>The first half of a file (an interrupted upload).</summary>
    public static void Truncate(string from, string to)
    {
        var all = File.ReadAllBytes(from);
        File.WriteAllBytes(to, all[..(all.Length / 2)]);
    }

    /// <summary>The first row of one tensor set to NaN, as a diverged training leaves it.</summary>
    public static void PoisonWithNaN(nn.Module model, string parameter)
    {
        using var _ = no_grad();
        using var row = model.state_dict()[parameter][0];
        row.fill_(float.NaN);
    }
}
