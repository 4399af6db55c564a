using System.Security.Cryptography;
using static TorchSharp.torch;

namespace Harness.Core.Data;

/// <summary>
/// STL-10's binary layout: <c>*_X.bin</c> holds N images of 3×96×96 unsigned bytes, each channel stored column by column
/// (column-major, as MATLAB writes it), channels red, green, blue, images one after another with no header;
/// <c>*_y.bin</c> holds N labels of one byte, 1 to 10. A file is accepted only with exactly the layout's length and
/// its MD5; the errors say what is wrong and how to fix it, like the IDX reader's.
/// </summary>
public static class Stl10Format
{
    /// <summary>The file's bytes, after checking its length against the layout and its MD5.</summary>
    public static byte[] ReadVerified(string path, DataFile file)
    {
        if (!File.Exists(path))
            throw new DataFileException($"{path}: file not found. Run harness data fetch stl10, or add a data root holding {Stl10Catalog.Folder}/{file.Name}.");
        var length = new FileInfo(path).Length;
        if (length != Stl10Catalog.Bytes(file)) throw new DataFileException(SizeProblem(path, file, length));
        var bytes = File.ReadAllBytes(path);
        var md5 = Md5(bytes);
        if (md5 != file.Md5) throw new DataFileException(Md5Problem(path, file, md5));
        return bytes;
    }

    /// <summary>Checks a file's length and MD5 without keeping it in memory (harness data verify).</summary>
    public static void Verify(string path, DataFile file)
    {
        var length = new FileInfo(path).Length;
        if (length != Stl10Catalog.Bytes(file)) throw new DataFileException(SizeProblem(path, file, length));
        using var stream = File.OpenRead(path);
        var md5 = Convert.ToHexString(MD5.HashData(stream)).ToLowerInvariant();
        if (md5 != file.Md5) throw new DataFileException(Md5Problem(path, file, md5));
    }

    /// <summary>What is wrong with a file (or archive member) of <paramref name="length"/> bytes where the layout wants another.</summary>
    public static string SizeProblem(string where, DataFile file, long length)
    {
        long expected = Stl10Catalog.Bytes(file);
        var holds = Stl10Catalog.IsImages(file)
            ? $"{file.Shape[0]:N0} images of {Stl10Catalog.Side}×{Stl10Catalog.Side}×{Stl10Catalog.Channels} = {expected:N0} bytes"
            : $"{file.Shape[0]:N0} labels = {expected:N0} bytes";
        return length < expected
            ? $"{where}: truncated: {file.Name} holds {holds}, but only {length:N0} bytes are there. Download it again (harness data fetch stl10)."
            : $"{where}: {length:N0} bytes, {length - expected:N0} more than {file.Name}'s {holds}. The file is corrupt or not this {file.Name}; download it again (harness data fetch stl10).";
    }

    public static string Md5Problem(string where, DataFile file, string md5) =>
        $"{where}: checksum mismatch: MD5 is {md5}, the canonical file's is {file.Md5}. The file is corrupt or a different version; delete it and download it again (harness data fetch stl10).";

    public static string Md5(ReadOnlySpan<byte> bytes) => Convert.ToHexString(MD5.HashData(bytes)).ToLowerInvariant();

    /// <summary>Images as an N×3×96×96 uint8 tensor in the usual order (channel, row, column), from the official column-major bytes.</summary>
    public static Tensor Images(byte[] raw, DataFile file)
    {
        using var scope = NewDisposeScope();
        int n = file.Shape[0], side = Stl10Catalog.Side;
        // Column-major per channel: the bytes run (image, channel, column, row); swapping the last two gives rows first.
        var t = tensor(raw, dtype: ScalarType.Byte).reshape(n, Stl10Catalog.Channels, side, side).transpose(2, 3).contiguous();
        return t.MoveToOuterDisposeScope();
    }

    /// <summary>Labels 1–10 as 0-based classes; a label out of range names its position.</summary>
    public static long[] Labels(byte[] raw, string path, int classes)
    {
        var labels = new long[raw.Length];
        for (int i = 0; i < raw.Length; i++)
        {
            int v = raw[i] - Stl10Catalog.FirstLabel;
            if (v < 0 || v >= classes)
                throw new DataFileException($"{path}: label {raw[i]} at position {i:N0} is outside {Stl10Catalog.FirstLabel}–{classes} (STL-10 labels count from 1). The file is corrupt; download it again (harness data fetch stl10).");
            labels[i] = v;
        }
        return labels;
    }

    /// <summary>The official bytes of images given as N×3×96×96 row-major bytes (channel, row, column).</summary>
    public static byte[] EncodeImages(ReadOnlySpan<byte> rowMajor)
    {
        int side = Stl10Catalog.Side, plane = side * side;
        if (rowMajor.Length % Stl10Catalog.ImageBytes != 0) throw new ArgumentException($"{rowMajor.Length} bytes is not a whole number of 3×96×96 images");
        var result = new byte[rowMajor.Length];
        for (int p = 0; p < rowMajor.Length; p += plane)
            for (int row = 0; row < side; row++)
                for (int col = 0; col < side; col++)
                    result[p + col * side + row] = rowMajor[p + row * side + col];
        return result;
    }

    /// <summary>0-based classes as the official 1-based label bytes.</summary>
    public static byte[] EncodeLabels(IEnumerable<long> classes) => classes.Select(c => (byte)(c + Stl10Catalog.FirstLabel)).ToArray();

    /// <summary>The class names of a folder's class_names.txt when it lists one per class, else the catalogue's.</summary>
    public static string[] ClassNames(string folder)
    {
        var path = Path.Combine(folder, Stl10Catalog.ClassNamesFile);
        if (!File.Exists(path)) return Stl10Catalog.ClassNames;
        var names = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        return names.Length == Stl10Catalog.ClassNames.Length ? names : Stl10Catalog.ClassNames;
    }
}
