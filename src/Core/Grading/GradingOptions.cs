using Harness.Core.Configuration;

namespace Harness.Core.Grading;

/// <summary>
/// How a class is graded: the profile whose held-out split and thresholds judge (full: what students are graded at),
/// the per-submission budgets, the model-file size limit, parallel workers, and whether feedback shows the requirements
/// that are hidden until grades are published.
/// </summary>
public sealed record GradingOptions
{
    public Profile Profile { get; init; } = Profile.Full;
    /// <summary>Model files above this are refused before a byte is read.</summary>
    public long MaxModelBytes { get; init; } = 256L << 20;
    /// <summary>Wall-clock time one submission (all its model files) may take to measure.</summary>
    public double TimeLimitSeconds { get; init; } = 300;
    /// <summary>Resident memory the measuring worker may reach while it measures one submission.</summary>
    public long MemoryLimitBytes { get; init; } = 4L << 30;
    /// <summary>Worker processes measuring submissions side by side.</summary>
    public int Workers { get; init; } = 1;
    /// <summary>Feedback PDFs show the requirements that are otherwise shown only when grades are published.</summary>
    public bool Reveal { get; init; }
    /// <summary>Write a feedback PDF per submission (results.json, JUnit and the grade book are always written).</summary>
    public bool FeedbackPdfs { get; init; } = true;
}
