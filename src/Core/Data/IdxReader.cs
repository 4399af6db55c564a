using System.IO.Compression;
using System.Security.Cryptography;

namespace Harness.Core.Data;

/// <summary>An IDX array of unsigned bytes: its dimensions and its data, row-major.</summary>
public sealed record IdxArray(int[] Shape, byte[] Data)
{
    public int Count => Shape[0];
}

/// <summary>A data file that is missing, truncated, corrupt or not what was expected; the message says how to fix it.</summary>
public sealed class DataFileException(string message) : Experiments.HarnessException(message);

/// <summary>
/// Reads IDX files (LeCun's MNIST format), gzip-compressed or raw: checks the magic number (type 0x08 =
/// unsigned byte, 1–4 dimensions), the expected dimensions, that the length matches the header exactly,
/// and the MD5 of the uncompressed content against the canonical checksum.
/// </summary>
public static class IdxReader
{
    public static IdxArray Read(string path, int[]? expectedShape = null, string? expectedMd5 = null)
    {
        if (!File.Exists(path)) throw new DataFileException($"{path}: file not found. Put the data set there, add its folder to DataRoots, or enable AllowDownload.");
        byte[] raw;
        try { raw = Decompress(path); }
        catch (InvalidDataException e) { throw new DataFileException($"{path}: the gzip stream is corrupt or truncated ({e.Message}). Delete the file and download it again (harness data verify shows what is wrong)."); }
        catch (EndOfStreamException) { throw new DataFileException($"{path}: the gzip stream ends early (truncated download). Delete the file and download it again."); }
        return Parse(raw, path, expectedShape, expectedMd5);
    }

    public static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        var isGzip = file.Read(head) == 2 && head[0] == 0x1f && head[1] == 0x8b;
        file.Position = 0;
        using var ms = new MemoryStream();
        if (isGzip) { using var gz = new GZipStream(file, CompressionMode.Decompress); gz.CopyTo(ms); }
        else file.CopyTo(ms);
        return ms.ToArray();
    }

    public static IdxArray Parse(byte[] raw, string path, int[]? expectedShape = null, string? expectedMd5 = null)
    {
        if (raw.Length < 4) throw new DataFileException($"{path}: {raw.Length} bytes is too short for an IDX header. The file is truncated; download it again.");
        if (raw[0] != 0 || raw[1] != 0)
            throw new DataFileException($"{path}: wrong magic number 0x{raw[0]:x2}{raw[1]:x2}{raw[2]:x2}{raw[3]:x2} (an IDX file starts with 0x0000). This is not an IDX file; check the file name or download it again.");
        if (raw[2] != 0x08)
            throw new DataFileException($"{path}: IDX element type 0x{raw[2]:x2} is not 0x08 (unsigned byte), the type of MNIST-style files.");
        int dims = raw[3];
        if (dims is < 1 or > 4) throw new DataFileException($"{path}: IDX header declares {dims} dimensions; expected 1 to 4.");
        if (raw.Length < 4 + 4 * dims) throw new DataFileException($"{path}: the IDX header is truncated. Download the file again.");
        var shape = new int[dims];
        long count = 1;
        for (int i = 0; i < dims; i++)
        {
            shape[i] = (raw[4 + 4 * i] << 24) | (raw[5 + 4 * i] << 16) | (raw[6 + 4 * i] << 8) | raw[7 + 4 * i];
            if (shape[i] < 0) throw new DataFileException($"{path}: dimension {i} is negative in the IDX header.");
            count *= shape[i];
        }
        if (expectedShape is not null && !shape.SequenceEqual(expectedShape))
            throw new DataFileException($"{path}: holds an array of {string.Join("x", shape)} but {string.Join("x", expectedShape)} was expected. Is this the right file of the right data set?");
        long header = 4 + 4L * dims;
        if (raw.Length - header != count)
            throw new DataFileException(raw.Length - header < count
                ? $"{path}: truncated: the header promises {count:N0} bytes of data but only {raw.Length - header:N0} follow. Download the file again."
                : $"{path}: {raw.Length - header - count:N0} bytes follow the data the header declares. The file is corrupt; download it again.");
        if (expectedMd5 is not null)
        {
            var md5 = Convert.ToHexString(MD5.HashData(raw)).ToLowerInvariant();
            if (md5 != expectedMd5)
                throw new DataFileException($"{path}: checksum mismatch: MD5 of the uncompressed content is {md5}, the canonical file's is {expectedMd5}. The file is corrupt or a different version; delete it and download it again.");
        }
        return new IdxArray(shape, raw.AsSpan((int)header).ToArray());
    }

    /// <summary>Encodes an IDX file (used by tests and tools); gzip when <paramref name="gzip"/>.</summary>
    public static byte[] Encode(int[] shape, byte[] data, bool gzip)
    {
        var header = new byte[4 + 4 * shape.Length];
        header[2] = 0x08; header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
        {
            header[4 + 4 * i] = (byte)(shape[i] >> 24); header[5 + 4 * i] = (byte)(shape[i] >> 16);
            header[6 + 4 * i] = (byte)(shape[i] >> 8); header[7 + 4 * i] = (byte)shape[i];
        }
        var raw = header.Concat(data).ToArray();
        if (!gzip) return raw;
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Fastest)) gz.Write(raw);
        return ms.ToArray();
    }
}
