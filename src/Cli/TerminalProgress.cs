using Harness.Core.Training;

namespace Harness.Cli;

/// <summary>A one-line progress bar redrawn in place, for interactive terminals (CI logs get <see cref="LineProgress"/>).</summary>
public sealed class TerminalProgress : IProgressSink
{
    private readonly object _lock = new();
    private string? _bar;

    public static IProgressSink ForConsole() =>
        Console.IsOutputRedirected || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) ? LineProgress.Console : new TerminalProgress();

    public IProgressTask Start(string description, int total) => new Bar(this, description, total);

    public void Message(string text)
    {
        lock (_lock)
        {
            Clear();
            Console.WriteLine(text);
            if (_bar is not null) Console.Write(_bar);
        }
    }

    private void Clear()
    {
        if (_bar is null) return;
        Console.Write("\r" + new string(' ', Math.Min(_bar.Length, Width)) + "\r");
    }

    private static int Width => Math.Max(40, Console.IsOutputRedirected ? 100 : Console.WindowWidth - 1);

    private void Draw(string bar)
    {
        lock (_lock)
        {
            Clear();
            _bar = bar.Length > Width ? bar[..Width] : bar;
            Console.Write(_bar);
        }
    }

    private void Finish()
    {
        lock (_lock)
        {
            if (_bar is not null) Console.WriteLine();
            _bar = null;
        }
    }

    private sealed class Bar(TerminalProgress owner, string description, int total) : IProgressTask
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private int _done;
        private long _lastDrawMs = -1000;

        public void Advance(int steps = 1, Func<string>? status = null)
        {
            _done += steps;
            if (_clock.ElapsedMilliseconds - _lastDrawMs < 100 && _done < total) return;
            _lastDrawMs = _clock.ElapsedMilliseconds;
            double f = total <= 0 ? 1 : Math.Min(1, (double)_done / total);
            const int cells = 28;
            int full = (int)(f * cells);
            var eta = f > 0 ? TimeSpan.FromSeconds(_clock.Elapsed.TotalSeconds * (1 - f) / f) : TimeSpan.Zero;
            owner.Draw($"{description} [{new string('█', full)}{new string('·', cells - full)}] {_done}/{total} {_clock.Elapsed:mm\\:ss} eta {eta:mm\\:ss} {status?.Invoke()}");
        }

        public void Dispose() => owner.Finish();
    }
}
