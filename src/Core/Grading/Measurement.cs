namespace Harness.Core.Grading;

/// <summary>One model file of a submission to measure: the task, where the file is, and its name as the student gave it.</summary>
public sealed record TaskFile(string TaskId, string Path, string Display);

/// <summary>What the measuring side (in process, or a worker process) is asked: one submission's model files.</summary>
public sealed record MeasureRequest(string Submission, IReadOnlyList<TaskFile> Files, double TimeLimitSeconds);

/// <summary>An accuracy as the count it was measured from, so that its Wilson interval can be given.</summary>
public sealed record AccuracyCount(string Value, long Correct, long Total);

/// <summary>A confusion matrix of a submitted classifier: rows are true classes, columns predicted ones.</summary>
public sealed record ConfusionData(string Split, IReadOnlyList<string> ClassNames, int[][] Counts);

/// <summary>
/// What was measured of one task's model file: the values and checks its requirements judge (as a run records them),
/// the counts behind each accuracy, the confusion matrix, and — when the file could not be loaded or measured —
/// why (<see cref="NotMeasured"/>), which every requirement left without its value shows.
/// </summary>
public sealed record TaskMeasurement
{
    public required string TaskId { get; init; }
    public string? File { get; init; }
    public string? Format { get; set; }
    public Dictionary<string, double> Values { get; init; } = new();
    public Dictionary<string, string> Checks { get; init; } = new();
    public List<AccuracyCount> Accuracies { get; init; } = new();
    public ConfusionData? Confusion { get; set; }
    public string? NotMeasured { get; set; }
    /// <summary>Things worth knowing that do not fail a requirement (a float64 file converted, images with non-finite logits).</summary>
    public List<string> Notes { get; init; } = new();
    public double Seconds { get; set; }

    public void Check(string name, bool holds, string finding)
    {
        Values[name] = holds ? 1 : 0;
        Checks[name] = finding;
    }
}

/// <summary>
/// One submission's measurements, or why the measuring side stopped on it (<see cref="Failure"/>: time or memory budget,
/// a crash), or why it could not measure anything at all (<see cref="GraderError"/>: the grading machine's problem, such as
/// missing data, which stops the batch instead of failing the student).
/// </summary>
public sealed record SubmissionMeasurement(string Submission, IReadOnlyList<TaskMeasurement> Tasks, double Seconds, long PeakBytes,
    string? Failure = null, string? GraderError = null);

/// <summary>The measuring side ran out of the submission's time budget.</summary>
public sealed class BudgetExceededException(string message) : Exception(message);
