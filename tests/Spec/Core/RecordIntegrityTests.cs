using System.Text.Json.Nodes;
using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Training;
using Harness.Spec.Reporting;
using Harness.Tasks;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>A record is used only when it is whole and as measured: nulls, wrong types and hand edits are named, never crash or pass.</summary>
[Property("Area", "Records")]
public sealed class RecordIntegrityTests
{
    private string dir = "";

    [SetUp]
    public void TempDir() => dir = Directory.CreateTempSubdirectory("harness-records-").FullName;

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    /// <summary>A sealed record file of the sample run, edited by <paramref name="edit"/> before it is written.</summary>
    private string Write(Action<JsonObject>? edit = null)
    {
        var record = SampleData.Record("ex99", "T1", new Dictionary<string, double> { ["test_accuracy"] = 0.85 });
        var node = JsonNode.Parse(RecordIntegrity.Seal(record))!.AsObject();
        edit?.Invoke(node);
        var file = Path.Combine(dir, RunStore.RecordFile);
        File.WriteAllText(file, node.ToJsonString());
        return file;
    }

    [Test]
    public void A_sealed_record_reads_back()
    {
        RunStore.Read(Write()).Values["test_accuracy"].Should().Be(0.85);
    }

    [Test]
    public void A_value_typed_in_by_hand_is_edited_not_graded()
    {
        var file = Write(n => n["values"]!["test_accuracy"] = 0.99);
        var act = () => RunStore.Read(file);
        act.Should().Throw<BrokenRecordException>().WithMessage("*edited by hand*edited — not graded*");
    }

    [TestCase("values")]
    [TestCase("tables")]
    [TestCase("timing")]
    [TestCase("environment")]
    [TestCase("key")]
    public void A_null_part_is_a_broken_record_naming_it(string part)
    {
        var file = Write(n => n[part] = null);
        var act = () => RunStore.Read(file);
        act.Should().Throw<BrokenRecordException>().Which.Reason.Should().MatchRegex($"(incomplete.*{part}|not a valid run record)");
    }

    [Test]
    public void A_wrong_type_is_a_broken_record()
    {
        var file = Write(n => n["values"] = "lots");
        var act = () => RunStore.Read(file);
        act.Should().Throw<BrokenRecordException>().WithMessage("*not a valid run record*");
    }

    [Test]
    public void A_record_of_other_settings_or_another_environment_is_named_with_what_differs()
    {
        var task = Assignments.GetTask("hw4", "1a");
        var one = new ExperimentRunner(new HarnessOptions { OutputDir = dir, Threads = 1, Profile = Profile.Smoke }, LineProgress.Silent, Assignments.GetTask);
        one.LoadOrRun(task);
        // hw4 1a depends on the thread count like most tasks: a two-thread run has another key.
        var two = new ExperimentRunner(new HarnessOptions { OutputDir = dir, Threads = 2, Profile = Profile.Smoke }, LineProgress.Silent, Assignments.GetTask);
        two.TryLoad(task).Should().BeNull();
        two.WhyNoRecord(task).Should().Contain("no longer match").And.Contain("threads (1 → 2)");
        one.WhyNoRecord(task).Should().BeNull();
    }
}
