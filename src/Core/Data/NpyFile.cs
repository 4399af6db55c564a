using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Harness.Core.Data;

/// <summary>The .npy file did not match what the reader accepts (NumPy format v1.0, little-endian float64, C order).</summary>
public sealed class NpyFormatException(string message) : Experiments.HarnessException(message);

/// <summary>
/// Reads and writes NumPy .npy files, format version 1.0, holding a little-endian float64 array in C order
/// ("&lt;f8", fortran_order False) — what <c>np.save</c> writes for a float64 array, so files move between the
/// harness and NumPy both ways. The reader checks the magic string, version, header dictionary and data length.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>The header dictionary NumPy writes, e.g. <c>{'descr': '&lt;f8', 'fortran_order': False, 'shape': (60000, 3), }</c>.</summary>
    public static string HeaderDictionary(IReadOnlyList<long> shape)
    {
        var dims = shape.Count == 1 ? shape[0].ToString(CultureInfo.InvariantCulture) + ","
            : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        return "{'descr': '<f8', 'fortran_order': False, 'shape': (" + dims + "), }";
    }

    /// <summary>Writes <paramref name="data"/> (row-major, product of <paramref name="shape"/> values) as a v1.0 .npy file.</summary>
    public static void Write(string path, double[] data, params long[] shape)
    {
        if (shape.Length == 0) throw new ArgumentException("a shape needs at least one dimension", nameof(shape));
        if (shape.Aggregate(1L, (a, b) => a * b) != data.Length)
            throw new ArgumentException($"shape ({string.Join(", ", shape)}) holds {shape.Aggregate(1L, (a, b) => a * b)} values but {data.Length} were given");
        // NumPy pads the header with spaces so that magic + version + length + header (ending in '\n') is a multiple of 64.
        var dict = HeaderDictionary(shape);
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        var header = Encoding.ASCII.GetBytes(dict + new string(' ', padding) + "\n");
        if (header.Length > ushort.MaxValue) throw new ArgumentException("header too long for format v1.0");

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var stream = File.Create(path);
        stream.Write(Magic);
        stream.Write(new byte[] { 1, 0 });
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, (ushort)header.Length);
        stream.Write(len);
        stream.Write(header);
        var bytes = new byte[data.Length * 8];
        for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), data[i]);
        stream.Write(bytes);
    }

    /// <summary>Reads a v1.0 .npy file of little-endian float64 in C order: the values (row-major) and the shape.</summary>
    public static (double[] Data, long[] Shape) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        string Where(string what) => $"{path}: {what}";
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new NpyFormatException(Where("not a .npy file (magic string \\x93NUMPY missing)"));
        if (bytes[6] != 1 || bytes[7] != 0) throw new NpyFormatException(Where($"format version {bytes[6]}.{bytes[7]}; only 1.0 is read"));
        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8, 2));
        if (10 + headerLength > bytes.Length) throw new NpyFormatException(Where("the header runs past the end of the file"));
        var header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        if (!header.EndsWith('\n')) throw new NpyFormatException(Where("the header does not end with a newline"));

        var m = HeaderPattern().Match(header.TrimEnd());
        if (!m.Success) throw new NpyFormatException(Where($"unreadable header {header.TrimEnd()}"));
        var fields = m.Groups["fields"].Value;
        string Field(string name)
        {
            var f = Regex.Match(fields, "'" + name + @"'\s*:\s*(\([^)]*\)|'[^']*'|\w+)");
            if (!f.Success) throw new NpyFormatException(Where($"the header has no '{name}'"));
            return f.Groups[1].Value;
        }
        var descr = Field("descr").Trim('\'');
        if (descr != "<f8") throw new NpyFormatException(Where($"dtype '{descr}'; only little-endian float64 ('<f8') is read"));
        if (Field("fortran_order") != "False") throw new NpyFormatException(Where("Fortran order; only C order is read"));
        var shapeText = Field("shape").Trim('(', ')');
        long[] shape;
        try
        {
            shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        catch (FormatException) { throw new NpyFormatException(Where($"unreadable shape ({shapeText})")); }
        if (shape.Any(d => d < 0)) throw new NpyFormatException(Where("negative dimension in shape"));

        long count = shape.Aggregate(1L, (a, b) => a * b);
        long available = bytes.Length - 10 - headerLength;
        if (available != count * 8)
            throw new NpyFormatException(Where($"shape ({string.Join(", ", shape)}) needs {count * 8} data bytes but the file holds {available}"));
        var data = new double[count];
        for (long i = 0; i < count; i++) data[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan((int)(10 + headerLength + i * 8), 8));
        return (data, shape);
    }

    [GeneratedRegex(@"^\{(?<fields>.*)\}$", RegexOptions.Singleline)]
    private static partial Regex HeaderPattern();
}
