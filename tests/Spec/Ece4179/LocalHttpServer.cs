using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Harness.Spec.Ece4179;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 (a free port) serving one file, for the download tests: it honours
/// <c>Range: bytes=N-</c> (206 with Content-Range) unless told to ignore ranges, sends an ETag, and can cut the connection
/// of the next responses after a given number of body bytes (then resets the socket, as a dropped link does).
/// Nothing else is served; the server stops when disposed.
/// </summary>
public sealed class LocalHttpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly object _lock = new();

    public LocalHttpServer(byte[] content, string path = "/stl10_binary.tar.gz")
    {
        Content = content; Path = path;
        _listener.Start();
        _loop = Task.Run(Serve);
    }

    public byte[] Content { get; set; }
    public string Path { get; }
    /// <summary>The ETag of the n-th response (0-based); "v1" for all by default (a changed file gets another).</summary>
    public Func<int, string> ETagFor { get; set; } = _ => "\"v1\"";
    public bool IgnoreRange { get; set; }
    /// <summary>Cut the n-th response after this many body bytes (one entry per response, in order; none left = send all).</summary>
    public Queue<long> CutAfter { get; } = new();
    /// <summary>Each request as "GET /path" plus " Range: …" / " If-Range: …" when sent.</summary>
    public List<string> Requests { get; } = new();
    /// <summary>Body bytes written to clients in all.</summary>
    public long BytesSent { get; private set; }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{Path}";

    private async Task Serve()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Handle(client));
        }
    }

    private void Handle(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var head = ReadHead(stream);
        if (head is null) return;
        var lines = head.Split("\r\n");
        var target = lines[0].Split(' ')[1];
        var headers = lines.Skip(1).Where(l => l.Contains(':')).ToDictionary(l => l[..l.IndexOf(':')].Trim().ToLowerInvariant(), l => l[(l.IndexOf(':') + 1)..].Trim());
        long? cut;
        string etag;
        lock (_lock)
        {
            etag = ETagFor(Requests.Count);
            Requests.Add($"GET {target}" + (headers.TryGetValue("range", out var r) ? $" Range: {r}" : "") + (headers.TryGetValue("if-range", out var ir) ? $" If-Range: {ir}" : ""));
            cut = CutAfter.Count > 0 ? CutAfter.Dequeue() : null;
        }
        var content = Content;
        if (target != Path)
        {
            Write(stream, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        long start = 0;
        bool partial = !IgnoreRange && headers.TryGetValue("range", out var range) && range.StartsWith("bytes=", StringComparison.Ordinal)
                       && (!headers.TryGetValue("if-range", out var ifRange) || ifRange == etag)
                       && long.TryParse(range["bytes=".Length..].TrimEnd('-'), out start);
        if (!partial) start = 0;
        var status = partial ? "206 Partial Content" : "200 OK";
        var extra = partial ? $"Content-Range: bytes {start}-{content.Length - 1}/{content.Length}\r\n" : "";
        Write(stream, $"HTTP/1.1 {status}\r\nContent-Type: application/gzip\r\nContent-Length: {content.Length - start}\r\nETag: {etag}\r\nAccept-Ranges: bytes\r\n{extra}Connection: close\r\n\r\n");
        long end = cut is { } c ? Math.Min(content.Length, start + c) : content.Length;
        try
        {
            for (long at = start; at < end; at += 8192)
            {
                int n = (int)Math.Min(8192, end - at);
                stream.Write(content, (int)at, n);
                lock (_lock) BytesSent += n;
            }
            stream.Flush();
            if (cut is not null && end < content.Length) client.Client.LingerState = new LingerOption(true, 0); // reset, not a clean close
        }
        catch (IOException) { } // the client hung up (it had what it needed)
    }

    private static void Write(NetworkStream s, string text) => s.Write(Encoding.ASCII.GetBytes(text));

    private static string? ReadHead(NetworkStream s)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 16384)
        {
            if (s.Read(one, 0, 1) == 0) return null;
            bytes.Add(one[0]);
            int n = bytes.Count;
            if (n >= 4 && bytes[n - 4] == '\r' && bytes[n - 3] == '\n' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')
                return Encoding.ASCII.GetString(bytes.ToArray(), 0, n - 4);
        }
        return null;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
