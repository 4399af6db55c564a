using Harness.Core.Configuration;
using Harness.Core.Requirements;

namespace Harness.Core.Grading;

/// <summary>An accuracy's 95% Wilson interval on the held-out images it was measured on.</summary>
public sealed record AccuracyInterval(long Correct, long Total, double Low, double High, double Level);

/// <summary>One requirement's verdict on a submission, with its points and when the student may see it.</summary>
public sealed record RequirementGrade(string Id, string Text, double Points, double Earned, Visibility Visibility,
    Outcome Outcome, string Measured, string Expected, string Detail, AccuracyInterval? Interval = null)
{
    public bool Passed => Outcome == Outcome.Pass;
}

/// <summary>What to fix, tied to the requirement it is about (so that it is shown only when that verdict is).</summary>
public sealed record Fix(string? Requirement, string Text);

/// <summary>A task of a submission: its model file (or why there is none), its verdicts, the confusion matrix and what to fix.</summary>
public sealed record TaskGrade(string TaskId, string Title, string? File, string? Format, IReadOnlyList<RequirementGrade> Requirements,
    ConfusionData? Confusion, IReadOnlyList<string> Notes, IReadOnlyList<Fix> Fixes, double Seconds)
{
    public double Earned => Requirements.Sum(r => r.Earned);
    public double Possible => Requirements.Sum(r => r.Points);
}

/// <summary>
/// The grade of one submission, as written to its grade.json: who, which files (by hash), under which grading key, every
/// verdict (hidden ones included: this file is the lecturer's), and the problems of the submission as a whole (manifest
/// errors, unknown tasks, a budget exceeded). A rerun keeps it when the key is unchanged.
/// </summary>
public sealed record SubmissionGrade
{
    public const int FormatVersion = 1;
    public int Format { get; init; } = FormatVersion;
    public required string Assignment { get; init; }
    /// <summary>The submission's folder name (unique within the class).</summary>
    public required string Submission { get; init; }
    /// <summary>Student or team id from the manifest (the folder name when the manifest has none).</summary>
    public required string Student { get; init; }
    /// <summary>SHA-256 over the manifest and the model files it names (what a change of files changes).</summary>
    public required string ContentHash { get; init; }
    /// <summary>The content hash together with everything else that changes a grade (profile, seed, grader and task revisions).</summary>
    public required string GradingKey { get; init; }
    public required Profile Profile { get; init; }
    public required int Seed { get; init; }
    public required DateTimeOffset GradedUtc { get; init; }
    public required IReadOnlyList<TaskGrade> Tasks { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
    public string? Notes { get; init; }
    public double Seconds { get; init; }
    public long PeakBytes { get; init; }

    public double Score => Tasks.Sum(t => t.Earned);
    public double MaxScore => Tasks.Sum(t => t.Possible);
}
