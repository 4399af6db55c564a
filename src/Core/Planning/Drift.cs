using System.Globalization;
using System.Text;
using Harness.Core.Experiments;
using Harness.Core.Requirements;

namespace Harness.Core.Planning;

/// <summary>How one baseline value compares with the new record's.</summary>
public sealed record DriftLine(string Task, string Requirement, string Value, double Baseline, double? Now, string BaselineOutcome, string NowOutcome,
    bool BitExactExpected, double Band)
{
    public double? Change => Now - Baseline;
    /// <summary>Any difference where the fingerprints match (the same run must give the same bits), else beyond the band.</summary>
    public bool Moved => Now is null || (BitExactExpected ? Now.Value != Baseline : Math.Abs(Now.Value - Baseline) > Band);
    public bool VerdictChanged => NowOutcome != BaselineOutcome;
}

/// <summary>
/// Compares new records with an assignment's baseline: bit-exact where the environment fingerprint matches, within a
/// tolerance band where it does not (another GPU model, libtorch or thread count changes the floating-point order):
/// the larger of <see cref="RelativeBand"/> of the value and <see cref="AbsoluteBand"/>.
/// </summary>
public sealed class Drift
{
    public const double RelativeBand = 0.01;
    public const double AbsoluteBand = 0.005;

    public required string Assignment { get; init; }
    public required IReadOnlyList<DriftLine> Lines { get; init; }
    /// <summary>Baseline tasks that have no record now (not run, or run with other settings).</summary>
    public required IReadOnlyList<string> Missing { get; init; }
    public required IReadOnlyList<string> Notes { get; init; }

    public IEnumerable<DriftLine> Moved => Lines.Where(l => l.Moved || l.VerdictChanged);
    /// <summary>A requirement that passed in the baseline and does not now.</summary>
    public bool Regressed => Lines.Any(l => l.BaselineOutcome == nameof(Outcome.Pass) && l.NowOutcome != nameof(Outcome.Pass));

    public static Drift Compare(AssignmentBaseline baseline, IAssignment assignment, ExperimentRunner runner)
    {
        var lines = new List<DriftLine>(); var missing = new List<string>(); var notes = new List<string>();
        foreach (var b in baseline.Tasks)
        {
            var task = assignment.Tasks.FirstOrDefault(t => t.Id == b.Task);
            if (task is null) { notes.Add($"{b.Task} is in the baseline but no longer a task of {assignment.Id}"); continue; }
            var record = runner.TryLoad(task);
            if (record is null) { missing.Add(b.Task); continue; }
            var exact = Fingerprint.Of(record.Environment) == b.Environment;
            if (!exact) notes.Add($"{b.Task}: run on {Fingerprint.Of(record.Environment)}; baseline on {b.Environment} — compared within the band");
            foreach (var v in b.Values)
            {
                var req = task.Requirements.FirstOrDefault(r => r.Id == v.Requirement);
                double? now = record.Values.TryGetValue(v.Value, out var x) ? x : null;
                var outcome = req?.Judge(record).Outcome.ToString() ?? "removed";
                lines.Add(new DriftLine(b.Task, v.Requirement, v.Value, v.Measured, now, v.Outcome, outcome, exact,
                    Math.Max(RelativeBand * Math.Abs(v.Measured), AbsoluteBand)));
            }
        }
        return new Drift { Assignment = assignment.Id, Lines = lines, Missing = missing, Notes = notes };
    }

    /// <summary>Markdown for a CI run's summary page: what moved, by how much, and which verdicts changed.</summary>
    public string Markdown(AssignmentBaseline baseline)
    {
        var sb = new StringBuilder();
        var moved = Moved.ToList();
        sb.AppendLine(CultureInfo.InvariantCulture, $"### Drift of {Assignment} against its baseline ({baseline.Profile} profile, written {baseline.Written:yyyy-MM-dd})");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"{Lines.Count} values compared: {moved.Count} moved, {Lines.Count(l => l.VerdictChanged)} verdict change(s), {Missing.Count} task(s) without a record now. " +
            $"Bit-exact where the environment matches; elsewhere the band is ±max({RelativeBand:0.#%} of the value, {AbsoluteBand}).");
        foreach (var n in Notes) sb.AppendLine(CultureInfo.InvariantCulture, $"- {n}");
        if (Missing.Count > 0) sb.AppendLine(CultureInfo.InvariantCulture, $"- no record now: {string.Join(", ", Missing)}");
        if (moved.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("| task | requirement | value | baseline | now | change | comparison | verdict |");
            sb.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (var l in moved)
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {l.Task} | {l.Requirement} | {l.Value} | {G(l.Baseline)} | {(l.Now is { } n ? G(n) : "absent")} | {(l.Change is { } c ? (c >= 0 ? "+" : "") + G(c) : "—")} | " +
                    $"{(l.BitExactExpected ? "bit-exact expected" : $"band ±{G(l.Band)}")} | {(l.VerdictChanged ? $"**{l.BaselineOutcome} → {l.NowOutcome}**" : l.NowOutcome)} |");
        }
        return sb.ToString();
    }

    private static string G(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
