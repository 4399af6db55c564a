namespace Harness.Core.Experiments;

/// <summary>
/// Named points where the reliability tests make the process fail as the real world would: with HARNESS_FAULT=name the
/// process kills itself there (SIGKILL, as kill -9 would), mid-work; with HARNESS_FAULT=name@enospc the next write
/// fails there as on a full disk. Unset, nothing happens. Points: "record:before-commit", "checkpoint:after-model",
/// "report:after-first-file".
/// </summary>
public static class FaultInjection
{
    private static readonly string? Setting = Environment.GetEnvironmentVariable("HARNESS_FAULT");

    public static void At(string point)
    {
        if (Setting is null || !Setting.StartsWith(point, StringComparison.Ordinal)) return;
        var mode = Setting[point.Length..];
        if (mode.Length == 0) System.Diagnostics.Process.GetCurrentProcess().Kill();
        else if (mode == "@enospc") throw new IOException("No space left on device", 28);
    }
}
