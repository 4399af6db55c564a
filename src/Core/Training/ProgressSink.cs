namespace Harness.Core.Training;

/// <summary>Where long work reports progress: a bar in a terminal, plain lines in CI logs and tests.</summary>
public interface IProgressSink
{
    /// <summary>Starts a unit of work of <paramref name="total"/> steps; dispose it when done.</summary>
    IProgressTask Start(string description, int total);
    void Message(string text);
}

public interface IProgressTask : IDisposable
{
    /// <summary>Counts steps done; <paramref name="status"/> is only evaluated when the sink shows a line (it may read the device).</summary>
    void Advance(int steps = 1, Func<string>? status = null);
}

/// <summary>Plain lines, throttled to a few per task, for logs that are not terminals.</summary>
public sealed class LineProgress(TextWriter writer, int linesPerTask = 4) : IProgressSink
{
    private readonly int _linesPerTask = linesPerTask;
    public static readonly LineProgress Console = new(System.Console.Out);
    public static readonly IProgressSink Silent = new LineProgress(TextWriter.Null);

    public IProgressTask Start(string description, int total) => new Task(this, description, total);
    public void Message(string text) { lock (writer) writer.WriteLine(text); }

    private sealed class Task(LineProgress owner, string description, int total) : IProgressTask
    {
        private int _done, _lastBucket = -1;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        public void Advance(int steps = 1, Func<string>? status = null)
        {
            _done += steps;
            var bucket = total <= 0 ? 0 : (int)((long)_done * owner._linesPerTask / total);
            if (bucket == _lastBucket && _done < total) return;
            _lastBucket = bucket;
            owner.Message($"{description}: {_done}/{total} ({_clock.Elapsed.TotalSeconds:0}s){(status is null ? "" : "  " + status())}");
        }
        public void Dispose() { }
    }
}
