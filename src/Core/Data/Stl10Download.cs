using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Harness.Core.Training;

namespace Harness.Core.Data;

/// <summary>How hard a download tries: reconnections in a row without progress, the pause before each, and how long a silent connection is waited for.</summary>
public sealed record DownloadSettings(int MaxRetries = 8, double RetryDelaySeconds = 2, double ReadTimeoutSeconds = 60);

/// <summary>
/// harness data fetch stl10: streams <c>stl10_binary.tar.gz</c> from its URL through gunzip and a tar reader and writes
/// only the four labelled files (train_X, train_y, test_X, test_y) into <c>&lt;folder&gt;</c>, each to a temporary
/// name, checked for its size and MD5 on the way, and renamed into place when it is right; the archive itself (2.6 GB
/// with the unlabelled images) is never stored, and reading stops as soon as the four are in place. A cut connection is
/// resumed where it broke with an HTTP Range request (<see cref="ResumableHttpStream"/>). Files already present and
/// verified are kept. Wrong sizes, bad MD5s and truncated or corrupt archives stop with one line saying what and where.
/// <para>A new process cannot resume a gzip stream half-way without a copy of what came before, so an interrupted
/// process starts the stream again (keeping the files it had finished).</para>
/// </summary>
public static class Stl10Download
{
    private static readonly HttpClient Shared = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Fetches the labelled files of <paramref name="layout"/> into <paramref name="folder"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Fetch(string url, string folder, DataSetInfo layout, IProgressSink progress,
        DownloadSettings? settings = null, HttpClient? http = null)
    {
        settings ??= new DownloadSettings();
        Directory.CreateDirectory(folder);
        var wanted = layout.Files.ToDictionary(f => $"{Stl10Catalog.Folder}/{f.Name}");
        var done = new HashSet<string>(layout.Files.Where(f => Present(folder, f)).Select(f => $"{Stl10Catalog.Folder}/{f.Name}"));
        foreach (var name in done) progress.Message($"{Path.Combine(folder, Path.GetFileName(name))}: already present and verified");
        if (done.Count == wanted.Count) return Paths(folder, layout);

        using var body = new ResumableHttpStream(http ?? Shared, url, settings, progress);
        string? current = null;
        try
        {
            using var gzip = new GZipStream(body, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (done.Count < wanted.Count && tar.GetNextEntry() is { } entry)
            {
                var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                if (!wanted.TryGetValue(name, out var file) || done.Contains(name)) continue;
                current = name;
                Extract(url, name, entry.DataStream, entry.Length, file, folder, progress);
                done.Add(name);
                current = null;
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new DataFileException($"{url}: the archive is corrupt or truncated after {body.Position:N0} of {body.Total?.ToString("N0") ?? "?"} bytes" +
                (current is null ? "" : $", inside {current}") + $" ({e.Message}). Run harness data fetch stl10 again; if it persists, the file on the server is damaged.");
        }
        finally { Parts(folder, layout).ToList().ForEach(File.Delete); }
        var missing = wanted.Keys.Where(k => !done.Contains(k)).ToList();
        if (missing.Count > 0)
            throw new DataFileException($"{url}: the archive ends after {body.Position:N0} bytes without {string.Join(", ", missing)}: it is truncated, or not STL-10's binary release.");
        progress.Message($"Fetched {layout.DisplayName} from {url}: {body.Position:N0} bytes read{(body.Resumes > 0 ? $", resumed {body.Resumes} time(s) after a cut connection" : "")}; the rest of the archive (the unlabelled images) was not downloaded.");
        return Paths(folder, layout);
    }

    private static IReadOnlyList<string> Paths(string folder, DataSetInfo layout) => layout.Files.Select(f => Path.Combine(folder, f.Name)).ToList();
    private static IEnumerable<string> Parts(string folder, DataSetInfo layout) => layout.Files.Select(f => Path.Combine(folder, f.Name + ".part")).Where(File.Exists);

    private static bool Present(string folder, DataFile file)
    {
        var path = Path.Combine(folder, file.Name);
        if (!File.Exists(path)) return false;
        try { Stl10Format.Verify(path, file); return true; }
        catch (DataFileException) { return false; }
    }

    /// <summary>Copies one archive member to "name.part" while hashing it, then checks its length and MD5 and renames it into place.</summary>
    private static void Extract(string url, string name, Stream? data, long length, DataFile file, string folder, IProgressSink progress)
    {
        var where = $"{url}: {name}";
        if (length != Stl10Catalog.Bytes(file) || data is null) throw new DataFileException(Stl10Format.SizeProblem(where + " in the archive", file, length));
        var target = Path.Combine(folder, file.Name);
        var part = target + ".part";
        progress.Message($"Extracting {name} ({length:N0} bytes) to {target}");
        using (var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5))
        {
            long copied = 0;
            using (var output = File.Create(part))
            {
                var buffer = new byte[1 << 20];
                int n;
                while ((n = data.Read(buffer, 0, buffer.Length)) > 0)
                {
                    output.Write(buffer, 0, n);
                    md5.AppendData(buffer, 0, n);
                    copied += n;
                }
            }
            if (copied != length) throw new EndOfStreamException($"{copied:N0} of its {length:N0} bytes");
            var hash = Convert.ToHexString(md5.GetHashAndReset()).ToLowerInvariant();
            if (hash != file.Md5) throw new DataFileException(Stl10Format.Md5Problem(where, file, hash));
        }
        File.Move(part, target, overwrite: true);
        progress.Message($"{target}: ok (md5 {file.Md5})");
    }
}

/// <summary>
/// A read-only stream of an HTTP resource that survives cut connections: when a read fails, times out, or the body
/// ends before its announced length, it reconnects with <c>Range: bytes=N-</c> (and <c>If-Range</c> with the first
/// response's ETag or Last-Modified, so that a file changed on the server is noticed) and goes on from byte N. A server
/// that ignores ranges is read from the start with the first N bytes skipped. Progress is shown in MiB.
/// </summary>
public sealed class ResumableHttpStream : Stream
{
    private readonly HttpClient _http;
    private readonly string _url;
    private readonly DownloadSettings _settings;
    private readonly IProgressSink _progress;
    private IProgressTask? _bar;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private EntityTagHeaderValue? _etag;
    private DateTimeOffset? _lastModified;
    private long _shownMiB;

    public ResumableHttpStream(HttpClient http, string url, DownloadSettings settings, IProgressSink progress)
    {
        _http = http; _url = url; _settings = settings; _progress = progress;
    }

    /// <summary>Bytes received so far.</summary>
    public override long Position { get; set; }
    /// <summary>The resource's length, once the server has said it.</summary>
    public long? Total { get; private set; }
    /// <summary>How many times the stream reconnected after a cut.</summary>
    public int Resumes { get; private set; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int failures = 0;
        while (true)
        {
            string? problem;
            try
            {
                _body ??= Open();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_settings.ReadTimeoutSeconds));
                int n = _body.ReadAsync(buffer.AsMemory(offset, count), timeout.Token).AsTask().GetAwaiter().GetResult();
                if (n > 0)
                {
                    Position += n;
                    Advance();
                    return n;
                }
                if (Total is null || Position >= Total) return 0;
                problem = $"the body ended after {Position:N0} of {Total:N0} bytes";
            }
            catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
            {
                problem = e is OperationCanceledException ? $"no data for {_settings.ReadTimeoutSeconds:0.#} s" : e.Message;
            }
            Close(keepBar: true);
            if (++failures > _settings.MaxRetries)
                throw new DataFileException($"{_url}: the download failed {failures} times in a row ({problem}); stopped after {Position:N0} of {Total?.ToString("N0") ?? "?"} bytes. Check the connection and run the command again.");
            _progress.Message($"{_url}: {problem}; resuming at byte {Position:N0} (attempt {failures} of {_settings.MaxRetries})");
            Resumes++;
            Thread.Sleep(TimeSpan.FromSeconds(_settings.RetryDelaySeconds * failures));
        }
    }

    /// <summary>GET from <see cref="Position"/> on; checks that the server continues the same file where it was cut.</summary>
    private Stream Open()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _url);
        if (Position > 0)
        {
            request.Headers.Range = new RangeHeaderValue(Position, null);
            if (_etag is not null) request.Headers.IfRange = new RangeConditionHeaderValue(_etag);
            else if (_lastModified is { } modified) request.Headers.IfRange = new RangeConditionHeaderValue(modified);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(_settings.ReadTimeoutSeconds));
        var response = _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).GetAwaiter().GetResult();
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
        {
            var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
            response.Dispose();
            if ((int)response.StatusCode >= 500) throw new HttpRequestException(status);
            throw new DataFileException($"{_url}: {status}. Check the address (harness data fetch stl10 --url URL takes a mirror).");
        }
        _response = response;
        var body = response.Content.ReadAsStream();
        if (Position == 0 || response.StatusCode == HttpStatusCode.OK)
        {
            var etag = response.Headers.ETag;
            if (Position > 0 && (_etag is not null && !Equals(etag, _etag) || _etag is null && _lastModified is not null && response.Content.Headers.LastModified != _lastModified))
                throw new DataFileException($"{_url}: the file changed on the server during the download (new ETag or date); run the command again to start afresh.");
            _etag = etag;
            _lastModified = response.Content.Headers.LastModified;
            Total = response.Content.Headers.ContentLength ?? Total;
            if (Position > 0) Skip(body, Position); // a server without ranges sends the whole file again
        }
        else
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != Position)
                throw new DataFileException($"{_url}: asked to resume at byte {Position:N0}, the server sent {range?.ToString() ?? "no Content-Range"}.");
            Total = range.Length ?? Total;
        }
        if (_bar is null)
        {
            _progress.Message($"Downloading {_url} ({(Total is { } t ? $"{t:N0} bytes" : "size unknown")}; only the labelled files are kept)");
            _bar = _progress.Start($"Downloading {_url}", (int)Math.Max(1, (Total ?? 0) >> 20));
        }
        return body;
    }

    private static void Skip(Stream body, long bytes)
    {
        var buffer = new byte[1 << 16];
        while (bytes > 0)
        {
            int n = body.Read(buffer, 0, (int)Math.Min(buffer.Length, bytes));
            if (n == 0) throw new IOException("the body ended while skipping what was already received");
            bytes -= n;
        }
    }

    private void Advance()
    {
        long mib = Position >> 20;
        if (mib <= _shownMiB || _bar is null) return;
        _bar.Advance((int)(mib - _shownMiB), () => $"{Position / 1e6:N1} of {(Total is { } t ? (t / 1e6).ToString("N1") : "?")} MB{(Resumes > 0 ? $", {Resumes} resume(s)" : "")}");
        _shownMiB = mib;
    }

    private void Close(bool keepBar)
    {
        _body?.Dispose(); _body = null;
        _response?.Dispose(); _response = null;
        if (!keepBar) { _bar?.Dispose(); _bar = null; }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) Close(keepBar: false);
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => Total ?? throw new NotSupportedException("the length is not known yet");
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
