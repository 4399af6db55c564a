using Harness.Core.Configuration;
using Harness.Core.Records;

namespace Harness.Core.Requirements;

/// <summary>
/// One seed of a seed set: its run's record, or why there is none. A <see cref="Failure"/> means the run did not
/// converge (its training diverged); no record and no failure means the seed has not been run yet, or its record can no
/// longer be used (<see cref="Unavailable"/> says why).
/// </summary>
public sealed record SeedRun(int Seed, RunRecord? Record, string? Failure = null, string? Unavailable = null)
{
    public bool Diverged => Record is null && Failure is not null;
    public bool NotRun => Record is null && Failure is null;
}

/// <summary>
/// The runs of one task over several seeds at one profile (what <c>harness calibrate</c> makes), judged by
/// <see cref="Requirement.JudgeOverSeeds(SeedSet)"/>: a bound holds when the mean over the seeds clears it at a one-sided
/// <see cref="Level"/> confidence bound, with at most <see cref="MaxNonConverging"/> seed that did not converge — the
/// way MLPerf judges quality targets over several runs.
/// </summary>
public sealed record SeedSet(Profile Profile, IReadOnlyList<SeedRun> Runs)
{
    public const double Level = 0.95;
    public const int MaxNonConverging = 1;

    public IReadOnlyList<int> Seeds => Runs.Select(r => r.Seed).ToList();
    public string SeedList => string.Join(", ", Seeds);
}
