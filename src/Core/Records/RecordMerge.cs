
namespace Harness.Core.Records;

/// <summary>What a merge did: folders copied, folders already there with the same measured content, and refusals.</summary>
public sealed record MergeResult(IReadOnlyList<string> Copied, IReadOnlyList<string> Identical, IReadOnlyList<string> Conflicts)
{
    public bool Ok => Conflicts.Count == 0;
}

/// <summary>
/// Merges the record folders of several runs (e.g. the shards of a nightly regression) into one. Records are
/// content-addressed by run key, so merging is copying folders; every record is verified first (format, completeness,
/// integrity seal), and a run key present in two places with different measured content is a conflict. Nothing is
/// copied unless the whole merge is clean; each folder is copied under a temporary name and renamed into place.
/// </summary>
public static class RecordMerge
{
    public static MergeResult Merge(IReadOnlyList<string> sources, string into)
    {
        var target = new RunStore(into);
        var plan = new Dictionary<string, (string Source, RunRecord Record)>(StringComparer.Ordinal);
        var copied = new List<string>(); var identical = new List<string>(); var conflicts = new List<string>();
        foreach (var source in sources)
        {
            if (!Directory.Exists(source)) { conflicts.Add($"{source}: no such folder"); continue; }
            foreach (var file in new RunStore(source).RecordFiles())
            {
                var folder = Path.GetDirectoryName(file)!;
                RunRecord record;
                try { record = RunStore.Read(file); }
                catch (BrokenRecordException e) { conflicts.Add($"{file}: {e.Reason}"); continue; }
                if (Path.GetFileName(folder) != record.Key.FolderName)
                {
                    conflicts.Add($"{folder}: holds the record of {record.Key}, whose folder is {record.Key.FolderName}");
                    continue;
                }
                var id = record.Key.ToString();
                if (plan.TryGetValue(id, out var other))
                {
                    if (other.Record.Integrity != record.Integrity)
                        conflicts.Add($"{id}: {other.Source} and {source} measured different numbers for the same run key");
                    continue;
                }
                plan[id] = (source, record);
            }
        }
        var toCopy = new List<(string From, string To, string Id)>();
        foreach (var (id, (source, record)) in plan)
        {
            var from = new RunStore(source).RunFolder(record.Key);
            var to = target.RunFolder(record.Key);
            var existing = Path.Combine(to, RunStore.RecordFile);
            if (File.Exists(existing))
            {
                RunRecord there;
                try { there = RunStore.Read(existing); }
                catch (BrokenRecordException e) { conflicts.Add($"{existing}: {e.Reason} (delete it to merge {source}'s record)"); continue; }
                if (there.Integrity == record.Integrity) identical.Add(id);
                else conflicts.Add($"{id}: {into} already holds different numbers for this run key than {source}");
                continue;
            }
            toCopy.Add((from, to, id));
        }
        if (conflicts.Count > 0) return new MergeResult(copied, identical, conflicts);
        foreach (var (from, to, id) in toCopy)
        {
            var temporary = to + $".merge-{Environment.ProcessId}.partial";
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            Copy(from, temporary);
            Directory.Move(temporary, to);
            copied.Add(id);
        }
        return new MergeResult(copied, identical, conflicts);
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from))
            if (Path.GetFileName(dir) != RunStore.CheckpointFolder) Copy(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
