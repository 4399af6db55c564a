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

/// <summary>
/// Plain lines for logs that are not terminals: a few per task, and one at least every <paramref name="intervalSeconds"/>
/// so a long epoch never looks hung.
/// </summary>
public sealed class LineProgress(TextWriter writer, int linesPerTask = 4, double intervalSeconds = 30) : IProgressSink
{
    private readonly int _linesPerTask = linesPerTask;
    private readonly double _interval = intervalSeconds;
    public static readonly LineProgress Console = new(System.Console.Out);
    public static readonly IProgressSink Silent = new LineProgress(TextWriter.Null);

    public IProgressTask Start(string description, int total) => new Task(this, description, total);
    public void Message(string text) { lock (writer) writer.WriteLine(text); }

    private sealed class Task(LineProgress owner, string description, int total) : IProgressTask
    {
        private int _done, _lastBucket = -1;
        private double _lastLine;
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        public void Advance(int steps = 1, Func<string>? status = null)
        {
            _done += steps;
            var bucket = total <= 0 ? 0 : (int)((long)_done * owner._linesPerTask / total);
            var now = _clock.Elapsed.TotalSeconds;
            if (bucket == _lastBucket && _done < total && now - _lastLine < owner._interval) return;
            _lastBucket = bucket; _lastLine = now;
            owner.Message($"{description}: {_done}/{total} ({_clock.Elapsed.TotalSeconds:0}s){(status is null ? "" : "  " + status())}");
        }
        public void Dispose() { }
    }
}
