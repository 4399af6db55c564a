using System.Collections.Concurrent;
using System.Diagnostics;
using Harness.Core.Experiments;

namespace Harness.Core.Grading;

/// <summary>
/// Measures submissions in worker processes (the harness CLI's <c>grade-worker</c>), so that each submission's
/// budgets can be enforced from outside: a worker that runs past the time budget, or whose resident memory passes the
/// memory budget, is killed and the submission graded with that reason; one that crashes (a native fault on a crafted
/// file) costs only its submission. A worker measures submission after submission while it stays healthy (the
/// held-out data are prepared once), and a fresh one is started after a failure.
/// </summary>
public sealed class WorkerPool : ISubmissionRunner
{
    /// <summary>Beyond the worker's own deadline (which stops it with a partial measurement), the grace before it is killed.</summary>
    public static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(2);

    private readonly Func<ProcessStartInfo> _startInfo;
    private readonly WorkerProtocol.Start _start;
    private readonly ConcurrentBag<WorkerProcess> _idle = new();
    private long _peak;

    /// <param name="startInfo">how to start a worker (the CLI runs itself with <c>grade-worker</c>)</param>
    public WorkerPool(Func<ProcessStartInfo> startInfo, WorkerProtocol.Start start)
    {
        _startInfo = startInfo; _start = start;
        Parallelism = Math.Max(1, start.Grading.Workers);
    }

    public int Parallelism { get; }
    /// <summary>The highest resident memory any worker reached.</summary>
    public long PeakBytes => Interlocked.Read(ref _peak);

    public SubmissionMeasurement Measure(MeasureRequest request)
    {
        var worker = _idle.TryTake(out var w) ? w : WorkerProcess.Start(_startInfo(), WorkerProtocol.Line(_start), StartupTimeout);
        var result = worker.Measure(request, TimeSpan.FromSeconds(request.TimeLimitSeconds) + KillGrace, _start.Grading.MemoryLimitBytes);
        long seen = Math.Max(result.PeakBytes, worker.PeakSeen);
        long current;
        while (seen > (current = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, seen, current) != current) { }
        if (worker.Healthy) _idle.Add(worker); else worker.Dispose();
        return result.GraderError is { } e ? throw new HarnessException(e) : result with { PeakBytes = seen };
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var w)) w.Dispose();
    }

    /// <summary>One worker process and its pipes: requests on standard input, results on standard output.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = new();
        private readonly Queue<string> _errors = new();

        private WorkerProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => { if (e.Data is null) _lines.CompleteAdding(); else if (!_lines.IsAddingCompleted) _lines.Add(e.Data); };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_errors) { _errors.Enqueue(e.Data); if (_errors.Count > 20) _errors.Dequeue(); }
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public bool Healthy { get; private set; } = true;
        public long PeakSeen { get; private set; }

        public static WorkerProcess Start(ProcessStartInfo psi, string startLine, TimeSpan timeout)
        {
            psi.RedirectStandardInput = psi.RedirectStandardOutput = psi.RedirectStandardError = true;
            psi.UseShellExecute = false;
            var p = Process.Start(psi) ?? throw new HarnessException($"could not start the grading worker ({psi.FileName})");
            var w = new WorkerProcess(p);
            p.StandardInput.WriteLine(startLine);
            p.StandardInput.Flush();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < timeout)
            {
                if (w._lines.TryTake(out var line, 200))
                {
                    if (line == WorkerProtocol.Ready) return w;
                    continue;
                }
                if (w._lines.IsCompleted || p.HasExited) break;
            }
            var why = w.LastError();
            w.Dispose();
            throw new HarnessException($"the grading worker did not start{(why.Length > 0 ? ": " + why : $" within {timeout.TotalSeconds:0} s")}");
        }

        public SubmissionMeasurement Measure(MeasureRequest request, TimeSpan limit, long memoryLimit)
        {
            var clock = Stopwatch.StartNew();
            PeakSeen = 0;
            try
            {
                _process.StandardInput.WriteLine(WorkerProtocol.Line(request));
                _process.StandardInput.Flush();
            }
            catch (IOException) { return Fail(request, clock, $"the grading worker had stopped before this submission ({LastError()})"); }
            while (true)
            {
                if (_lines.TryTake(out var line, 50))
                {
                    if (line.StartsWith(WorkerProtocol.ResultPrefix, StringComparison.Ordinal))
                        return WorkerProtocol.Parse<SubmissionMeasurement>(line[WorkerProtocol.ResultPrefix.Length..]);
                    continue;
                }
                if (_lines.IsCompleted || _process.HasExited)
                {
                    _process.WaitForExit(2000);
                    var code = _process.HasExited ? _process.ExitCode : -1;
                    var signal = code > 128 ? $" (signal {code - 128}{(code == 139 ? ", a segmentation fault" : code == 134 ? ", an abort" : code == 137 ? ", killed" : "")})" : "";
                    return Fail(request, clock, $"the grading worker stopped while measuring this submission: exit code {code}{signal}{(LastError() is { Length: > 0 } e ? "; " + e : "")}. Its files may be crafted or corrupt; they were not graded further");
                }
                var rss = ProcessMemory.Resident(_process.Id);
                PeakSeen = Math.Max(PeakSeen, rss);
                if (memoryLimit > 0 && rss > memoryLimit)
                    return Kill(request, clock, $"stopped: measuring this submission took the grader's memory to {rss >> 20:N0} MiB, above the budget of {memoryLimit >> 20:N0} MiB per submission");
                if (clock.Elapsed > limit)
                    return Kill(request, clock, $"stopped: measuring this submission took more than its time budget of {(limit - KillGrace).TotalSeconds:0} s");
            }
        }

        private SubmissionMeasurement Kill(MeasureRequest request, Stopwatch clock, string why)
        {
            try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            return Fail(request, clock, why);
        }

        private SubmissionMeasurement Fail(MeasureRequest request, Stopwatch clock, string why)
        {
            Healthy = false;
            return new SubmissionMeasurement(request.Submission, [], clock.Elapsed.TotalSeconds, PeakSeen, Failure: why);
        }

        private string LastError()
        {
            lock (_errors) return _errors.LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith("   at ", StringComparison.Ordinal))?.Trim() ?? "";
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.StandardInput.Close();   // a healthy worker ends when its input does
                    if (!_process.WaitForExit(3000)) _process.Kill(entireProcessTree: true);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or IOException) { }
            _process.Dispose();
        }
    }
}
