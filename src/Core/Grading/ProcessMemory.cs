using System.Globalization;

namespace Harness.Core.Grading;

/// <summary>Resident memory of processes from /proc (Linux); zero where it cannot be read.</summary>
public static class ProcessMemory
{
    /// <summary>Current resident set of a process, in bytes.</summary>
    public static long Resident(int pid) => Field($"/proc/{pid}/status", "VmRSS:");

    /// <summary>The highest resident set of this process since the last <see cref="ResetPeak"/> (or its start).</summary>
    public static long Peak() => Field("/proc/self/status", "VmHWM:");

    /// <summary>Starts a new peak measurement (Linux: writing 5 to clear_refs resets the high-water mark).</summary>
    public static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    private static long Field(string file, string name)
    {
        try
        {
            foreach (var line in File.ReadLines(file))
                if (line.StartsWith(name, StringComparison.Ordinal)
                    && long.TryParse(line[name.Length..].Trim().Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var kb))
                    return kb * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return 0;
    }
}
