using System.Text.RegularExpressions;
using FluentAssertions;
using Harness.Core.Experiments;
using Harness.Core.Planning;
using Harness.Core.Records;
using Harness.Core.Training;
using Harness.Spec.Reporting;
using Harness.Tasks;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Nightly;

/// <summary>
/// Two shards run into separate folders and merged give the records, and the report, of one run on one machine;
/// a merge verifies every record and refuses conflicts without copying anything.
/// </summary>
[Property("Area", "Nightly")]
[NonParallelizable]
public sealed class ShardMergeTests
{
    private string _root = "";

    [OneTimeSetUp]
    public void RunShards()
    {
        _root = Directory.CreateTempSubdirectory("harness-shards-").FullName;
        // The cheapest hw4 tasks (they share nothing): shard 1 runs 1a, shard 2 runs 2a, and one machine runs both.
        Run("shard1", "1a"); Run("shard2", "2a"); Run("single", "1a", "2a");
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(_root)) Directory.Delete(_root, true); }

    private string Dir(string name) => Path.Combine(_root, name);

    private void Run(string folder, params string[] tasks)
    {
        var runner = new ExperimentRunner(HarnessTestRun.Options with { OutputDir = Dir(folder) }, LineProgress.Silent, Assignments.GetTask);
        foreach (var t in tasks) runner.LoadOrRun(Assignments.GetTask("hw4", t));
    }

    private static Dictionary<string, string?> Records(string dir) =>
        Directory.EnumerateFiles(dir, RunStore.RecordFile, SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => RunStore.Read(f).Integrity);

    [Test]
    public void Merged_shards_hold_the_records_of_one_run_and_the_same_report()
    {
        var merged = Dir("merged");
        var result = RecordMerge.Merge(new[] { Dir("shard1"), Dir("shard2") }, merged);
        result.Ok.Should().BeTrue(string.Join("; ", result.Conflicts));
        result.Copied.Should().HaveCount(2);
        Records(merged).Should().BeEquivalentTo(Records(Dir("single")), "records are content-addressed by run key, and the same seed gives the same numbers");

        PdfTools.Require();
        string Report(string records)
        {
            var pdf = Path.Combine(_root, Path.GetFileName(records) + ".pdf");
            var (code, output) = CliProcess.Run(new Dictionary<string, string> { ["HARNESS__OutputDir"] = records },
                "report", "--assignment", "hw4", "--out", pdf);
            code.Should().BeOneOf(new[] { 0, 1 }, output);
            // Timing text aside (wall times, dates), and the records' own folder.
            var text = PdfTools.Text(pdf).Replace(records, "RECORDS");
            text = Regex.Replace(text, @"\d+(\.\d+)?\s?(s|ms|min)\b", "T");
            text = Regex.Replace(text, @"\d{4}-\d{2}-\d{2}( \d{2}:\d{2}(:\d{2})?( UTC)?)?", "DATE");
            return text;
        }
        Report(merged).Should().Be(Report(Dir("single")));
    }

    [Test]
    public void Merging_again_copies_nothing_and_calls_the_records_identical()
    {
        var into = Dir("again");
        RecordMerge.Merge(new[] { Dir("shard1") }, into).Copied.Should().HaveCount(1);
        var second = RecordMerge.Merge(new[] { Dir("shard1"), Dir("single") }, into);
        second.Ok.Should().BeTrue(string.Join("; ", second.Conflicts));
        second.Identical.Should().HaveCount(1);
        second.Copied.Should().HaveCount(1, "2a was not there yet");
    }

    [Test]
    public void A_conflict_or_a_broken_seal_is_refused_and_nothing_is_copied()
    {
        var tampered = Dir("tampered");
        CopyTree(Dir("single"), tampered);
        var file = Directory.EnumerateFiles(Path.Combine(tampered, "hw4", "1a"), RunStore.RecordFile, SearchOption.AllDirectories).Single();
        var record = RunStore.Read(file);
        var changed = record with { Values = record.Values.ToDictionary(v => v.Key, v => v.Value + 1) };
        File.WriteAllText(file, RecordIntegrity.Seal(changed));

        var into = Dir("refused");
        var conflict = RecordMerge.Merge(new[] { Dir("shard1"), tampered }, into);
        conflict.Ok.Should().BeFalse();
        conflict.Conflicts.Should().ContainSingle(c => c.Contains("hw4/1a") && c.Contains("different numbers"));
        Directory.Exists(into).Should().BeFalse("nothing is copied unless the whole merge is clean");

        File.WriteAllText(file, File.ReadAllText(file).Replace("\"title\": \"", "\"title\": \"edited "));
        var broken = RecordMerge.Merge(new[] { tampered }, into);
        broken.Conflicts.Should().ContainSingle(c => c.Contains("edited by hand"));
    }

    [Test]
    public void A_missing_full_run_is_estimated_from_the_smoke_run_on_this_device()
    {
        var smoke = HarnessTestRun.Options with { OutputDir = Dir("single"), Profile = Harness.Core.Configuration.Profile.Smoke };
        var task = Assignments.GetTask("hw4", "1a");
        new RunPlanner(new ExperimentRunner(smoke, LineProgress.Silent, Assignments.GetTask), Assignments.GetTask).Estimate(task)
            .Basis.Should().Be(EstimateBasis.Present);

        var full = smoke with { Profile = Harness.Core.Configuration.Profile.Full };
        var estimate = new RunPlanner(new ExperimentRunner(full, LineProgress.Silent, Assignments.GetTask), Assignments.GetTask).Estimate(task);
        estimate.Basis.Should().BeOneOf(EstimateBasis.Scaled, EstimateBasis.EarlierRun);
        estimate.Explanation.Should().StartWith("the smoke run of");
        var wall = RunStore.Read(Directory.EnumerateFiles(Path.Combine(Dir("single"), "hw4", "1a"), RunStore.RecordFile, SearchOption.AllDirectories).Single()).Timing.WallSeconds;
        estimate.Seconds.Should().BeApproximately(wall * task.Work(full)!.Value / task.Work(smoke)!.Value, 1e-9);
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var f in Directory.GetFiles(from)) File.Copy(f, Path.Combine(to, Path.GetFileName(f)));
        foreach (var d in Directory.GetDirectories(from)) CopyTree(d, Path.Combine(to, Path.GetFileName(d)));
    }
}
