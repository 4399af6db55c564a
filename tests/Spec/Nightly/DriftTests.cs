using FluentAssertions;
using Harness.Core.Experiments;
using Harness.Core.Planning;
using Harness.Core.Records;
using Harness.Core.Training;
using Harness.Tasks;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Nightly;

/// <summary>Baselines hold every judged value with its bound and fingerprint; drift finds a perturbed value and its verdict change.</summary>
[Property("Area", "Nightly")]
[NonParallelizable]
public sealed class DriftTests
{
    private string _dir = "";
    private ExperimentRunner _runner = null!;
    private readonly TaskDefinition _task = Assignments.GetTask("hw4", "1a");

    [OneTimeSetUp]
    public void RunTask()
    {
        _dir = Directory.CreateTempSubdirectory("harness-drift-").FullName;
        _runner = new ExperimentRunner(HarnessTestRun.Options with { OutputDir = _dir }, LineProgress.Silent, Assignments.GetTask);
        _runner.LoadOrRun(_task);
    }

    [OneTimeTearDown]
    public void Clean() { if (Directory.Exists(_dir)) Directory.Delete(_dir, true); }

    private AssignmentBaseline Baseline() => AssignmentBaseline.From(Assignments.Get("hw4"), _runner, gitCommit: null);

    [Test]
    public void A_baseline_holds_every_judged_value_with_its_bound_and_fingerprint()
    {
        var baseline = Baseline();
        var t = baseline.Tasks.Should().ContainSingle("only 1a has a record here").Subject;
        t.Task.Should().Be("1a");
        t.Environment.Should().Be(Fingerprint.Of(_runner.TryLoad(_task)!.Environment));
        t.Values.Select(v => v.Requirement).Should().BeEquivalentTo(_task.Requirements.Where(r => r.Value is not null).Select(r => r.Id));
        var back = RecordJson.Deserialize<AssignmentBaseline>(RecordJson.Serialize(baseline));
        back.Tasks[0].Values.Should().Equal(t.Values);
    }

    [Test]
    public void The_same_record_shows_no_drift()
    {
        var baseline = Baseline();
        var drift = Drift.Compare(baseline, Assignments.Get("hw4"), _runner);
        drift.Lines.Should().NotBeEmpty();
        drift.Moved.Should().BeEmpty();
        drift.Regressed.Should().BeFalse();
        drift.Missing.Should().BeEmpty();
        drift.Markdown(baseline).Should().Contain("0 moved, 0 verdict change(s)");
    }

    [Test]
    public void A_perturbed_record_shows_up_with_its_verdict_change()
    {
        var baseline = Baseline();
        var value = baseline.Tasks[0].Values.First(v => v.Outcome == "Pass" && v.Bound is not null);
        var requirement = _task.FindRequirement(value.Requirement);
        // Perturbed past the bound (the other side of it), then sealed again as a real record would be.
        var perturbed = requirement.Text.Contains("at most") ? value.Bound!.Value + 1 : value.Bound!.Value - 1;
        var folder = _runner.Store.RunFolder(_runner.KeyOf(_task));
        var file = Path.Combine(folder, RunStore.RecordFile);
        var original = File.ReadAllText(file);
        try
        {
            var record = RunStore.Read(file);
            var values = record.Values.ToDictionary(v => v.Key, v => v.Value);
            values[value.Value] = perturbed;
            File.WriteAllText(file, RecordIntegrity.Seal(record with { Values = values }));
            var fresh = new ExperimentRunner(_runner.Options, LineProgress.Silent, Assignments.GetTask);

            var drift = Drift.Compare(baseline, Assignments.Get("hw4"), fresh);
            var line = drift.Moved.Should().ContainSingle().Subject;
            line.Requirement.Should().Be(value.Requirement);
            line.Now.Should().Be(perturbed);
            line.BitExactExpected.Should().BeTrue("same machine, same libraries: the fingerprint matches");
            line.VerdictChanged.Should().BeTrue();
            drift.Regressed.Should().BeTrue();
            drift.Markdown(baseline).Should().Contain($"| 1a | {value.Requirement} | {value.Value} |").And.Contain("**Pass → Fail**").And.Contain("bit-exact expected");
        }
        finally { File.WriteAllText(file, original); }
    }
}
