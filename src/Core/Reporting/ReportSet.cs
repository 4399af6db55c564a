using System.Runtime.InteropServices;

namespace Harness.Core.Reporting;

/// <summary>
/// The files of one report — PDF, JUnit XML and Gradescope results — written so that a reader only ever sees a whole
/// set: they are written into a new folder <c>.&lt;name&gt;.sets/&lt;stamp&gt;/</c>, and the set becomes visible by one
/// atomic rename of the symbolic link <c>.&lt;name&gt;.current</c> to it. The visible paths (<c>ex08.pdf</c>,
/// <c>ex08.junit.xml</c>, <c>results.json</c>) are links through <c>.&lt;name&gt;.current</c>, so at any moment they all
/// belong to the same run; a kill -9 at any point leaves the previous set visible, and its leftovers are removed by the
/// next report. A failure while writing (a full disk, a read-only folder) discards the new set and keeps the old one.
/// </summary>
public sealed class ReportSet
{
    private readonly string _dir, _name, _stage;
    private readonly List<string> _files = new();

    /// <param name="pdfPath">where the PDF is seen, e.g. reports/ex08.pdf; the other files go beside it</param>
    public ReportSet(string pdfPath)
    {
        var full = Path.GetFullPath(pdfPath);
        _dir = Path.GetDirectoryName(full)!;
        _name = Path.GetFileNameWithoutExtension(full);
        Directory.CreateDirectory(_dir);
        CleanLeftovers();
        _stage = Path.Combine(SetsFolder, $"{DateTime.UtcNow:yyyyMMddTHHmmssfff}-{Environment.ProcessId}");
        Directory.CreateDirectory(_stage);
    }

    private string SetsFolder => Path.Combine(_dir, $".{_name}.sets");
    private string Current => Path.Combine(_dir, $".{_name}.current");

    /// <summary>Where to write the file that will be seen as <paramref name="visibleName"/> beside the PDF.</summary>
    public string Stage(string visibleName)
    {
        _files.Add(visibleName);
        return Path.Combine(_stage, visibleName);
    }

    /// <summary>Makes the staged files the visible set in one atomic step, then removes the previous set.</summary>
    public void Publish()
    {
        var tmp = Current + $".tmp-{Environment.ProcessId}";
        if (File.Exists(tmp) || Directory.Exists(tmp)) File.Delete(tmp);
        File.CreateSymbolicLink(tmp, Path.GetRelativePath(_dir, _stage));
        Rename(tmp, Current);
        foreach (var name in _files)
        {
            var visible = Path.Combine(_dir, name);
            var target = Path.Combine(Path.GetFileName(Current), name);
            if (new FileInfo(visible).LinkTarget == target) continue;
            // A plain file of an older harness, or a link elsewhere, is replaced by the link, atomically too.
            var linkTmp = visible + $".tmp-{Environment.ProcessId}";
            if (File.Exists(linkTmp)) File.Delete(linkTmp);
            File.CreateSymbolicLink(linkTmp, target);
            Rename(linkTmp, visible);
        }
        // Links through .name.current that this set no longer has (results.json after an all-assignments report).
        foreach (var link in Directory.GetFiles(_dir))
            if (new FileInfo(link).LinkTarget is { } t && t.StartsWith(Path.GetFileName(Current) + Path.DirectorySeparatorChar, StringComparison.Ordinal)
                && !_files.Contains(Path.GetFileName(link)))
                File.Delete(link);
        CleanLeftovers();
    }

    /// <summary>
    /// Removes <c>results.json</c> from a reports folder when it is not part of a visible set: a dangling link, or the plain
    /// file an older harness wrote (links of a visible set are removed by that set's next <see cref="Publish"/>).
    /// </summary>
    public static void RemoveStaleResults(string reportsDir)
    {
        var path = Path.Combine(Path.GetFullPath(reportsDir), "results.json");
        try
        {
            var info = new FileInfo(path);
            if (info.LinkTarget is not null) { if (!File.Exists(path)) File.Delete(path); return; }
            if (info.Exists && File.ReadAllText(path).Contains("\"max_score\"", StringComparison.Ordinal)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Drops the staged files (the visible set stays as it was).</summary>
    public void Discard()
    {
        try { if (Directory.Exists(_stage)) Directory.Delete(_stage, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Sets of crashed or older runs, and temporary files of this report's name, are removed.</summary>
    private void CleanLeftovers()
    {
        var current = Directory.Exists(Current) ? Path.GetFileName(new FileInfo(Current).LinkTarget ?? "") : null;
        try
        {
            if (Directory.Exists(SetsFolder))
                foreach (var set in Directory.GetDirectories(SetsFolder))
                    if (Path.GetFileName(set) != current && set != _stage && !Alive(set)) Directory.Delete(set, recursive: true);
            foreach (var tmp in Directory.GetFiles(_dir, "*.tmp-*"))
                if (Path.GetFileName(tmp).StartsWith(_name, StringComparison.Ordinal) || Path.GetFileName(tmp).StartsWith($".{_name}", StringComparison.Ordinal)
                    || Path.GetFileName(tmp).StartsWith("results.json", StringComparison.Ordinal))
                    if (!Alive(tmp)) File.Delete(tmp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>Whether the process that named a leftover ("…-PID" or "….tmp-PID") is still running (then it is not a leftover yet).</summary>
    private static bool Alive(string path)
    {
        var tail = path[(path.LastIndexOf('-') + 1)..];
        if (!int.TryParse(tail, out var pid) || pid == Environment.ProcessId) return false;
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static extern int RenameNative(string oldPath, string newPath);

    /// <summary>rename(2): replaces <paramref name="to"/> (a file or a link, even a link to a folder) atomically.</summary>
    private static void Rename(string from, string to)
    {
        if (RenameNative(from, to) != 0)
            throw new IOException($"could not rename {from} to {to} (errno {Marshal.GetLastPInvokeError()})");
    }
}
