using System.Text.Json;
using Harness.Core.Experiments;

namespace Harness.Core.Records;

/// <summary>
/// Run records on disk: OutputDir/assignment/task/profile-seedN-hash/record.json, plus figures and artifacts.
/// A run is written into a ".partial" folder and renamed into place when complete, so an interrupted run
/// never looks finished.
/// </summary>
public sealed class RunStore(string root)
{
    public const string RecordFile = "record.json";
    /// <summary>Training checkpoints inside a partial run folder; dropped when the run completes.</summary>
    public const string CheckpointFolder = "checkpoints";
    public string Root { get; } = Path.GetFullPath(root);

    public string TaskFolder(string assignment, string task) => Path.Combine(Root, Safe(assignment), Safe(task));
    public string RunFolder(RunKey key) => Path.Combine(TaskFolder(key.Assignment, key.Task), key.FolderName);

    /// <summary>The record for exactly this key, or null when there is none. A broken record throws with its path.</summary>
    public RunRecord? TryLoad(RunKey key)
    {
        var file = Path.Combine(RunFolder(key), RecordFile);
        if (!File.Exists(file)) return null;
        var record = Read(file);
        return record.Key == key ? record : null;
    }

    public static RunRecord Read(string file)
    {
        try
        {
            var r = RecordJson.Deserialize<RunRecord>(File.ReadAllText(file));
            if (r.Format != RunRecord.FormatVersion)
                throw new HarnessException($"{file} has record format {r.Format}, this harness reads {RunRecord.FormatVersion}: run the task again (harness run --force).");
            return r;
        }
        catch (JsonException e)
        {
            throw new HarnessException($"{file} is not a valid run record ({e.Message}); delete that folder and run the task again.", e);
        }
    }

    /// <summary>Writes the record into the partial folder, then moves the whole folder into place.</summary>
    public void Commit(RunRecord record, string partialFolder)
    {
        RecordJson.WriteAtomic(Path.Combine(partialFolder, RecordFile), RecordJson.Serialize(record));
        var checkpoints = Path.Combine(partialFolder, CheckpointFolder);
        if (Directory.Exists(checkpoints)) Directory.Delete(checkpoints, recursive: true);
        var final = RunFolder(record.Key);
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(partialFolder, final);
    }

    public string PartialFolder(RunKey key) => RunFolder(key) + ".partial";

    /// <summary>
    /// Empties the partial folder of a run about to start, keeping the checkpoints of an interrupted attempt at the
    /// same key (same task revision, profile, seed and settings) so that training resumes; returns whether any were kept.
    /// </summary>
    public bool PreparePartialFolder(RunKey key)
    {
        var partial = PartialFolder(key);
        Directory.CreateDirectory(partial);
        foreach (var file in Directory.GetFiles(partial)) File.Delete(file);
        foreach (var dir in Directory.GetDirectories(partial))
            if (Path.GetFileName(dir) != CheckpointFolder) Directory.Delete(dir, recursive: true);
        var checkpoints = Path.Combine(partial, CheckpointFolder);
        return Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any();
    }

    /// <summary>A name usable as a folder or file name: letters, digits, '.', '-', '_' kept, anything else '_'.</summary>
    public static string Safe(string s) => string.Concat(s.Select(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_'));
}
