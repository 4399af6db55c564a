using System.Text.Json;
using Harness.Core.Configuration;

namespace Harness.Core.Records;

/// <summary>The calibrations of one task configuration over one seed list: a record per thresholded value.</summary>
public sealed record CalibrationSet(string Folder, IReadOnlyList<int> Seeds, IReadOnlyList<CalibrationRecord> Records, IReadOnlyList<string> Problems);

/// <summary>
/// Calibration records beside the task's run records:
/// OutputDir/assignment/task/calibration-{profile}-{device}-{settings hash}-seeds-{42_1_2}/{requirement}.json. Each file is
/// sealed and written atomically, so a calibration is either there whole or not at all; one that was edited, truncated or
/// is of another format is never used (its reason is reported instead).
/// </summary>
public sealed class CalibrationStore(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Folder(string assignment, string task, Profile profile, string device, string settingsHash, IReadOnlyList<int> seeds) =>
        Path.Combine(new RunStore(Root).TaskFolder(assignment, task), $"{Prefix(profile, device, settingsHash)}{SeedPart(seeds)}");

    public string FileOf(CalibrationRecord r) =>
        Path.Combine(Folder(r.Assignment, r.Task, r.Profile, r.Device, r.SettingsHash, r.Seeds.Select(s => s.Seed).ToList()), RunStore.Safe(r.RequirementId) + ".json");

    /// <summary>Seals and writes one record atomically (replacing an earlier calibration of the same seeds).</summary>
    public string Write(CalibrationRecord record)
    {
        var file = FileOf(record);
        RecordJson.WriteAtomic(file, Seal(record));
        return file;
    }

    public static string Seal(CalibrationRecord record)
    {
        var json = RecordJson.Serialize(record with { Integrity = null });
        return RecordJson.Serialize(record with { Integrity = RecordIntegrity.Of(json) });
    }

    /// <summary>Reads and verifies a record: JSON, format, required parts, integrity hash.</summary>
    public static CalibrationRecord Read(string file)
    {
        var (r, json) = RecordIntegrity.ReadJson<CalibrationRecord>(file, "calibration record", "run harness calibrate again.");
        if (r.Format != CalibrationRecord.FormatVersion)
            throw new BrokenRecordException(file, $"has calibration format {r.Format}, this harness reads {CalibrationRecord.FormatVersion}: run harness calibrate again.");
        if (r.Seeds is null || r.Seeds.Any(s => s is null) || r.Verdict is null || r.Environment is null || r.Timing is null || r.Assignment is null || r.Task is null || r.Value is null)
            throw new BrokenRecordException(file, "is incomplete; run harness calibrate again.");
        RecordIntegrity.Verify(file, json, r.Integrity, "not used. Run harness calibrate again.");
        return r;
    }

    /// <summary>Every calibration of this task configuration (any seed list), the largest seed list first.</summary>
    public IReadOnlyList<CalibrationSet> Find(string assignment, string task, Profile profile, string device, string settingsHash)
    {
        var dir = new RunStore(Root).TaskFolder(assignment, task);
        if (!Directory.Exists(dir)) return [];
        var sets = new List<CalibrationSet>();
        foreach (var folder in Directory.GetDirectories(dir, Prefix(profile, device, settingsHash) + "*").Order(StringComparer.Ordinal))
        {
            var records = new List<CalibrationRecord>();
            var problems = new List<string>();
            foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
            {
                try { records.Add(Read(file)); }
                catch (BrokenRecordException e) { problems.Add(e.Message); }
            }
            if (records.Count == 0 && problems.Count == 0) continue;
            var seeds = records.FirstOrDefault()?.Seeds.Select(s => s.Seed).ToList() ?? [];
            sets.Add(new CalibrationSet(folder, seeds, records, problems));
        }
        return sets.OrderByDescending(s => s.Seeds.Count).ToList();
    }

    private static string Prefix(Profile profile, string device, string settingsHash) =>
        $"calibration-{profile.ToString().ToLowerInvariant()}-{RunStore.Safe(device)}-{settingsHash}-seeds-";

    private static string SeedPart(IReadOnlyList<int> seeds) => string.Join("_", seeds);
}
