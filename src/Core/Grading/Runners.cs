using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Training;

namespace Harness.Core.Grading;

/// <summary>Where submissions are measured: in this process, or in worker processes that a budget can stop.</summary>
public interface ISubmissionRunner : IDisposable
{
    /// <summary>How many submissions it measures at once.</summary>
    int Parallelism { get; }
    /// <summary>Measures one submission. A submission's content never makes it throw; a grading machine's problem does (<see cref="HarnessException"/>).</summary>
    SubmissionMeasurement Measure(MeasureRequest request);
}

/// <summary>Measures in this process, one submission at a time (tests, and debugging); the time budget is checked between batches.</summary>
public sealed class InProcessRunner(SubmissionMeasurer measurer) : ISubmissionRunner
{
    public int Parallelism => 1;
    public SubmissionMeasurement Measure(MeasureRequest request)
    {
        var m = measurer.Measure(request);
        return m.GraderError is { } e ? throw new HarnessException(e) : m;
    }
    public void Dispose() { }
}

/// <summary>The messages between the grader and its worker processes: one JSON object per line.</summary>
public static class WorkerProtocol
{
    public const string Ready = "@@harness-worker ready";
    public const string ResultPrefix = "@@harness-worker result ";

    /// <summary>The first line a worker reads: the assignment and every option, so that it measures as the grader would.</summary>
    public sealed record Start(string Assignment, HarnessOptions Options, GradingOptions Grading);

    public static string Line<T>(T value) => System.Text.Json.JsonSerializer.Serialize(value, Compact);
    public static T Parse<T>(string line) => System.Text.Json.JsonSerializer.Deserialize<T>(line, Compact)
        ?? throw new InvalidDataException("a worker message holds JSON null");

    private static readonly System.Text.Json.JsonSerializerOptions Compact = new(RecordJson.Options) { WriteIndented = false };

    /// <summary>
    /// A worker's life: read the start line, say ready, then measure each request line and answer with a result line,
    /// until its input ends (the grader finished, or died: a worker never outlives its grader by more than a submission).
    /// Everything else it prints goes to standard error.
    /// </summary>
    public static int Serve(TextReader input, TextWriter output, Func<string, IAssignment> resolve)
    {
        var startLine = input.ReadLine();
        if (startLine is null) return 0;
        var start = Parse<Start>(startLine);
        var progress = new LineProgress(Console.Error, linesPerTask: 1);
        var measurer = new SubmissionMeasurer(start.Options, start.Grading, resolve(start.Assignment), progress);
        output.WriteLine(Ready);
        output.Flush();
        while (input.ReadLine() is { } line)
        {
            var request = Parse<MeasureRequest>(line);
            SubmissionMeasurement result;
            try { result = measurer.Measure(request); }
            catch (HarnessException e) { result = new SubmissionMeasurement(request.Submission, [], 0, 0, GraderError: e.Message); }
            output.WriteLine(ResultPrefix + Line(result));
            output.Flush();
        }
        return 0;
    }
}
