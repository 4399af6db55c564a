using System.Text.Json;
using Harness.Core.Records;
using Harness.Core.Training;
using static TorchSharp.torch;

namespace Harness.Core.Data;

/// <summary>Where a cached array came from: the source file as it was when it was verified, and the array's shape.</summary>
public sealed record CacheStamp(string Source, long Length, DateTime LastWriteUtc, int[] Shape, string Md5);

/// <summary>
/// Data files decoded once: after a file has been read and verified against its canonical MD5, its decoded bytes are
/// kept as <c>&lt;md5&gt;.bytes</c> (raw, memory-mappable) with <c>&lt;md5&gt;.json</c>, the source file's path, length
/// and modification time. A later process reads the bytes in milliseconds instead of gunzipping and checksumming again,
/// as long as the source file is unchanged; any other source, or a damaged entry, is read and verified afresh.
/// A cache that cannot be written (read-only home) only costs speed: the harness says so once and goes on.
/// </summary>
public sealed class DecodedCache(string folder, IProgressSink progress)
{
    private static bool _warned;
    public string Folder { get; } = folder;

    /// <summary>The cached bytes of <paramref name="file"/> read from <paramref name="source"/>, or null when there is no valid entry.</summary>
    public Tensor? TryRead(string source, DataFile file)
    {
        var (bytes, stamp) = Paths(file);
        try
        {
            if (!File.Exists(bytes) || !File.Exists(stamp)) return null;
            var s = RecordJson.Deserialize<CacheStamp>(File.ReadAllText(stamp));
            var info = new FileInfo(source);
            long count = s.Shape.Aggregate(1L, (a, b) => a * b);
            if (s.Md5 != file.Md5 || !s.Shape.SequenceEqual(file.Shape) || s.Source != Path.GetFullPath(source)
                || s.Length != info.Length || s.LastWriteUtc != info.LastWriteTimeUtc || new FileInfo(bytes).Length != count) return null;
            return from_file(bytes, shared: false, size: count, dtype: ScalarType.Byte);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Keeps the verified array of <paramref name="file"/> (read from <paramref name="source"/>) for later processes.</summary>
    public void Write(string source, DataFile file, IdxArray array)
    {
        var (bytes, stamp) = Paths(file);
        try
        {
            RecordJson.WriteAtomic(bytes, array.Data);
            var info = new FileInfo(source);
            RecordJson.WriteAtomic(stamp, RecordJson.Serialize(new CacheStamp(Path.GetFullPath(source), info.Length, info.LastWriteTimeUtc, array.Shape, file.Md5)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!_warned) progress.Message($"warning: cannot keep decoded data in {Folder} ({e.Message}); every process decodes the data sets again. Set CacheDir to a writable folder.");
            _warned = true;
        }
    }

    private (string Bytes, string Stamp) Paths(DataFile file) =>
        (Path.Combine(Folder, $"{file.Name}-{file.Md5}.bytes"), Path.Combine(Folder, $"{file.Name}-{file.Md5}.json"));
}
