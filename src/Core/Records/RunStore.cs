using System.Text.Json;
using Harness.Core.Experiments;

namespace Harness.Core.Records;

/// <summary>A record.json that cannot be used: unreadable, of another format, incomplete, edited by hand, or of another run.</summary>
public sealed class BrokenRecordException(string file, string reason, Exception? inner = null)
    : HarnessException($"{file}: {reason}", inner)
{
    public string File { get; } = file;
    public string Reason { get; } = reason;
}

/// <summary>
/// Run records on disk: OutputDir/assignment/task/profile-seedN-device-hash/record.json, plus figures and artifacts.
/// A run is written into a ".partial" folder and renamed into place when complete, so an interrupted run never looks
/// finished; a lock file per run key keeps two processes from running (or committing) the same run at once.
/// </summary>
public sealed class RunStore(string root)
{
    public const string RecordFile = "record.json";
    /// <summary>Training checkpoints inside a partial run folder; dropped when the run completes.</summary>
    public const string CheckpointFolder = "checkpoints";
    public string Root { get; } = Path.GetFullPath(root);

    public string TaskFolder(string assignment, string task) => Path.Combine(Root, Safe(assignment), Safe(task));
    public string RunFolder(RunKey key) => Path.Combine(TaskFolder(key.Assignment, key.Task), key.FolderName);
    public string PartialFolder(RunKey key) => RunFolder(key) + ".partial";

    /// <summary>
    /// The record for exactly this key, or null when there is none. A record that is there but cannot be used throws
    /// <see cref="BrokenRecordException"/> with the reason (unreadable, incomplete, edited by hand, of another run).
    /// </summary>
    public RunRecord? TryLoad(RunKey key)
    {
        var file = Path.Combine(RunFolder(key), RecordFile);
        if (!File.Exists(file)) return null;
        var record = Read(file);
        if (record.Key != key) throw new BrokenRecordException(file, $"it records the run {record.Key}, not {key}: it no longer matches this run; run the task again (harness run --force).");
        return record;
    }

    /// <summary>Reads and verifies a record: JSON, format, every required part present, and its integrity hash.</summary>
    public static RunRecord Read(string file)
    {
        var (r, json) = RecordIntegrity.ReadJson<RunRecord>(file, "run record", "delete that folder and run the task again.");
        if (r.Format != RunRecord.FormatVersion)
            throw new BrokenRecordException(file, $"has record format {r.Format}, this harness reads {RunRecord.FormatVersion}: run the task again (harness run --force).");
        if (Incomplete(r) is { } missing)
            throw new BrokenRecordException(file, $"is incomplete ({missing} is missing or null); delete that folder and run the task again.");
        RecordIntegrity.Verify(file, json, r.Integrity, "edited — not graded. Run the task again (harness run --force) to measure it.");
        return r;
    }

    /// <summary>The first required part that is null (JSON null deserialises into non-nullable properties), or null.</summary>
    private static string? Incomplete(RunRecord r) =>
        r.Key is null ? "key" : r.Key.Assignment is null || r.Key.Task is null || r.Key.ConfigHash is null || r.Key.Device is null ? "key's fields"
        : r.Title is null ? "title" : r.Settings is null ? "settings" : r.Values is null ? "values" : r.Checks is null ? "checks"
        : r.Series is null || r.Series.Values.Any(v => v is null) ? "series" : r.Tables is null || r.Tables.Any(t => t?.Rows is null || t.Columns is null || t.Rows.Any(row => row is null)) ? "tables"
        : r.Figures is null || r.Figures.Any(f => f?.SpecFile is null) ? "figures" : r.Observations is null || r.Observations.Any(o => o is null) ? "observations"
        : r.Artifacts is null ? "artifacts" : r.Environment is null ? "environment" : r.Timing is null || r.Timing.Sections is null ? "timing"
        : r.Provenance is null ? "provenance" : null;

    /// <summary>The record files of this task's completed runs (any profile, seed or settings), in folder order.</summary>
    public IEnumerable<string> RecordFiles(string assignment, string task)
    {
        var dir = TaskFolder(assignment, task);
        if (!Directory.Exists(dir)) yield break;
        foreach (var folder in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(folder);
            if (name.EndsWith(".partial", StringComparison.Ordinal) || name.Contains(".old-", StringComparison.Ordinal)) continue;
            var file = Path.Combine(folder, RecordFile);
            if (File.Exists(file)) yield return file;
        }
    }

    /// <summary>The record files of every completed run in this store: assignment/task/run/record.json.</summary>
    public IEnumerable<string> RecordFiles() =>
        !Directory.Exists(Root) ? [] : Directory.GetDirectories(Root).Order(StringComparer.Ordinal)
            .SelectMany(a => Directory.GetDirectories(a).Order(StringComparer.Ordinal)
                .SelectMany(t => RecordFiles(Path.GetFileName(a), Path.GetFileName(t))));

    /// <summary>Records of the same task, profile and seed under other keys (other settings, revision or environment).</summary>
    public IEnumerable<(string Folder, RunRecord? Record, string? Problem)> Others(RunKey key)
    {
        foreach (var file in RecordFiles(key.Assignment, key.Task))
        {
            var folder = Path.GetDirectoryName(file)!;
            var name = Path.GetFileName(folder);
            if (!name.StartsWith($"{key.ProfileName}-seed{key.Seed}-", StringComparison.Ordinal) || name == key.FolderName) continue;
            RunRecord? r = null; string? problem = null;
            try { r = Read(file); }
            catch (BrokenRecordException e) { problem = e.Reason; }
            yield return (folder, r, problem);
        }
    }

    /// <summary>Seals the record (integrity hash), writes it into the partial folder, then moves the whole folder into place.</summary>
    public void Commit(RunRecord record, string partialFolder)
    {
        RecordJson.WriteAtomic(Path.Combine(partialFolder, RecordFile), RecordIntegrity.Seal(record));
        var checkpoints = Path.Combine(partialFolder, CheckpointFolder);
        if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
        var final = RunFolder(record.Key);
        if (Directory.Exists(final))
        {
            // Moved aside first, so that the final folder is never half deleted.
            var old = final + $".old-{Environment.ProcessId}";
            Directory.Move(final, old);
            Directory.Move(partialFolder, final);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(partialFolder, final);
    }

    /// <summary>
    /// Empties the partial folder of a run about to start, keeping the checkpoints of an interrupted attempt at the
    /// same key (same task revision, profile, seed and settings) so that training resumes; returns whether any were kept.
    /// <paramref name="discardCheckpoints"/> (harness run --force) starts from nothing.
    /// </summary>
    public bool PreparePartialFolder(RunKey key, bool discardCheckpoints = false)
    {
        var partial = PartialFolder(key);
        if (discardCheckpoints && Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        foreach (var file in Directory.GetFiles(partial)) File.Delete(file);
        foreach (var dir in Directory.GetDirectories(partial))
            if (Path.GetFileName(dir) != CheckpointFolder) Directory.Delete(dir, recursive: true);
        var checkpoints = Path.Combine(partial, CheckpointFolder);
        return Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any();
    }

    /// <summary>After a failed run: the partial folder goes unless it holds checkpoints worth resuming from.</summary>
    public void AbandonPartial(RunKey key)
    {
        var partial = PartialFolder(key);
        try
        {
            if (!Directory.Exists(partial)) return;
            var checkpoints = Path.Combine(partial, CheckpointFolder);
            if (!Directory.Exists(checkpoints) || !Directory.EnumerateFiles(checkpoints, "*.json", SearchOption.AllDirectories).Any())
                Directory.Delete(partial, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Holds the run key's lock file (an OS lock: released by the kernel when the process ends, however it ends). A
    /// second process on the same key waits, saying so once, until the first is done.
    /// </summary>
    public IDisposable Lock(RunKey key, Action<string> waiting)
    {
        var dir = TaskFolder(key.Assignment, key.Task);
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, key.FolderName + ".lock");
        bool said = false;
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None); }
            catch (IOException) when (File.Exists(path))
            {
                if (!said) waiting($"Another process is running {key} (lock {path}); waiting for it to finish.");
                said = true;
                Thread.Sleep(250);
            }
        }
    }

    /// <summary>A name usable as a folder or file name: letters, digits, '.', '-', '_' kept, anything else '_'.</summary>
    public static string Safe(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
