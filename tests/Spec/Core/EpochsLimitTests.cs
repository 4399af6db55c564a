using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Core.Training;
using Harness.Tasks;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>
/// <see cref="HarnessOptions.EpochsLimit"/> runs a profile's code path with every training cut short (the full profile's
/// per-epoch times on a CPU): it must change the run key (a trial never stands in for the profile) but leave uncapped keys
/// as they were, say itself on the record, and scale the recorded work so that the planner projects the uncapped run.
/// </summary>
[Property("Area", "Records")]
public sealed class EpochsLimitTests
{
    private static ExperimentRunner Runner(HarnessOptions o) => new(o, LineProgress.Silent, Assignments.GetTask);

    [Test]
    public void The_cap_changes_the_key_and_no_cap_keeps_the_key_it_had()
    {
        var task = Assignments.GetTask("cm500335", "3.1");
        var uncapped = Runner(new HarnessOptions()).KeyOf(task);
        Runner(new HarnessOptions { EpochsLimit = 1 }).KeyOf(task).ConfigHash.Should().NotBe(uncapped.ConfigHash, "a capped run must never be served as the profile's");
        Runner(new HarnessOptions { EpochsLimit = 0 }).KeyOf(task).Should().Be(uncapped);
        Runner(new HarnessOptions { EpochsLimit = 1 }).KeyOf(task).Should().Be(Runner(new HarnessOptions { EpochsLimit = 1 }).KeyOf(task));
    }

    [Test]
    public void The_setting_is_read_and_a_negative_cap_is_refused_with_its_range()
    {
        OptionsLoader.Load(new Dictionary<string, string?> { [nameof(HarnessOptions.EpochsLimit)] = "2" }).EpochsLimit.Should().Be(2);
        var act = () => OptionsLoader.Load(new Dictionary<string, string?> { [nameof(HarnessOptions.EpochsLimit)] = "-1" });
        act.Should().Throw<HarnessConfigurationException>().WithMessage("*EpochsLimit*-1*0 = no cap*");
    }

    [Test, Property("Assignment", "cm500335")]
    public void A_capped_run_trains_that_many_epochs_says_so_and_records_the_share_of_the_work()
    {
        var output = Path.Combine(Path.GetTempPath(), "harness-epochs-limit-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var options = HarnessTestRun.Options with { Profile = Profile.Smoke, OutputDir = output, EpochsLimit = 1 };
            var task = Assignments.GetTask("cm500335", "3.1");
            var planned = ((Harness.Tasks.Cm500335.T3_1Mlp)task).Settings(Profile.Smoke).Training.Epochs;
            planned.Should().BeGreaterThan(1, "the test needs a training the cap cuts short");

            var record = Runner(options).LoadOrRun(task);
            record.Series["test_accuracy"].Should().HaveCount(1, $"the cap of 1 cuts the planned {planned} epochs to 1");
            record.Provenance["epochs limit"].Should().Be("1");
            record.DataNote.Should().Contain("Epochs capped at 1").And.Contain("not a run of it");
            record.Timing!.Work.Should().BeApproximately(task.Work(options)!.Value / planned, 1e-9);
        }
        finally { if (Directory.Exists(output)) Directory.Delete(output, true); }
    }

    [Test]
    public void A_capped_record_judges_counts_and_checks_but_not_what_needs_the_whole_schedule()
    {
        var capped = Harness.Spec.Reporting.SampleData.Record("ex99", "T1", new Dictionary<string, double> { ["acc"] = 0.2, ["params_total"] = 55, ["loss_falls"] = 0, ["flip_ok"] = 1 })
            with { Provenance = new Dictionary<string, string> { ["epochs limit"] = "1" }, Checks = new Dictionary<string, string> { ["loss_falls"] = "one epoch", ["flip_ok"] = "exact" } };
        capped.EpochsLimit.Should().Be(1);
        var accuracy = Requirement.AtLeast("x.acc", "Test accuracy", 2, "acc", Threshold.Both(0.9), ValueFormat.Percent).Judge(capped);
        accuracy.Outcome.Should().Be(Outcome.NotRun, "a bound speaks of the whole schedule");
        accuracy.Detail.Should().Contain("epochs capped at 1").And.Contain("20.00%");
        Requirement.Holds("x.loss-falls", "The training loss falls.", 1, "loss_falls").Judge(capped).Outcome.Should().Be(Outcome.NotRun);
        Requirement.Holds("x.converges", "It converges faster.", 1, "flip_ok").Judge(capped).Outcome.Should().Be(Outcome.Pass, "a check is judged unless it says it needs the whole schedule");
        (Requirement.Holds("x.converges", "It converges faster.", 1, "flip_ok") with { NeedsWholeSchedule = true }).Judge(capped).Outcome.Should().Be(Outcome.NotRun);
        Requirement.Exactly("x.p", "The number of parameters", 1, "params_total", 55).Judge(capped).Outcome.Should().Be(Outcome.Pass);

        // What a capped trial of COMP0090 failed before these were marked: a reconstruction error cannot fall in one epoch, patience cannot run out.
        var comp0090 = new Harness.Tasks.Comp0090.Comp0090Assignment().Tasks.SelectMany(t => t.Requirements).ToDictionary(r => r.Id);
        comp0090["comp0090.3.1.converged"].NeedsWholeSchedule.Should().BeTrue();
        comp0090["comp0090.3.4.ae-falls"].NeedsWholeSchedule.Should().BeTrue("its value ends in mse_falls");
        comp0090["comp0090.3.1.pairs"].NeedsWholeSchedule.Should().BeFalse();
        Requirement.AtLeast("x.acc", "Test accuracy", 2, "acc", Threshold.Both(0.9), ValueFormat.Percent)
            .Judge(capped with { Provenance = new Dictionary<string, string>() }).Outcome.Should().Be(Outcome.Fail, "uncapped, the same value is judged");
    }
}
