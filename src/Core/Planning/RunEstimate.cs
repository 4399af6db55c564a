using Harness.Core.Records;

namespace Harness.Core.Planning;

/// <summary>How an estimate was made, strongest first.</summary>
public enum EstimateBasis
{
    /// <summary>The record exists: nothing to run.</summary>
    Present,
    /// <summary>An earlier run of the same size on this device (another revision or settings that do not change its size).</summary>
    EarlierRun,
    /// <summary>An earlier run of another size (usually the smoke profile) on this device, scaled by the two runs' work volumes.</summary>
    Scaled,
    /// <summary>No earlier run of this task on this device.</summary>
    Unknown,
}

/// <summary>
/// What running one task would cost on this device: its run key, whether its record is already there, and the
/// estimated wall time of its own run (dependencies not included) with the reason for the number.
/// </summary>
public sealed record RunEstimate(RunKey Key, EstimateBasis Basis, double? Seconds, string Explanation, IReadOnlyList<string> DependsOn)
{
    public string Id => $"{Key.Assignment}/{Key.Task}";
    public bool Present => Basis == EstimateBasis.Present;

    /// <summary>"2 h 05 min", "14 min", "40 s", or "unknown".</summary>
    public static string Duration(double? seconds) => seconds switch
    {
        null => "unknown",
        < 90 => $"{seconds:F0} s",
        < 5400 => $"{seconds / 60:F0} min",
        _ => $"{Math.Floor(seconds.Value / 3600):F0} h {Math.Floor(seconds.Value % 3600 / 60):00} min",
    };
}
