using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Spec.Reporting;
using Harness.Tasks;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>A requirement's sentence is generated from the numbers it judges by, and a check's verdict carries what it found.</summary>
[Property("Area", "Requirements")]
public sealed class RequirementTests
{
    private static RunRecord Record(Profile profile, Dictionary<string, double> values, Dictionary<string, string>? checks = null) =>
        SampleData.Record("ex99", "T1", values) with { Key = new RunKey("ex99", "T1", profile, 42, "cpu", "abc"), Checks = checks ?? new() };

    [Test]
    public void A_bounded_requirement_states_both_bounds_and_the_smoke_scale_and_judges_by_the_profile()
    {
        var r = Requirement.AtLeast("x.acc", "Test accuracy of the best epoch", 2, "acc", new Threshold(0.91, 0.78, "3,000 training images and 2 epochs"), ValueFormat.Percent, "chance is 10%");
        r.Text.Should().Be("Test accuracy of the best epoch is at least 91% (full profile; smoke: at least 78% on 3,000 training images and 2 epochs); chance is 10%.");
        r.Judge(Record(Profile.Smoke, new() { ["acc"] = 0.8 })).Should().Be(new Verdict(Outcome.Pass, "80.00%", "≥ 78%", "acc = 80.00% at the smoke profile"));
        r.Judge(Record(Profile.Full, new() { ["acc"] = 0.8 })).Outcome.Should().Be(Outcome.Fail);
        Requirement.AtMost("x.mse", "Test MSE", 1, "mse", Threshold.Both(0.015), ValueFormat.Decimal(5)).Text.Should().Be("Test MSE is at most 0.015.");
        Requirement.Exactly("x.p", "The number of parameters", 1, "p", 1199882).Text.Should().Be("The number of parameters is exactly 1,199,882.");
    }

    [Test]
    public void A_failed_check_reports_what_it_found()
    {
        var r = Requirement.Holds("x.flip", "The flip is an exact mirror.", 1, "flip_ok");
        var v = r.Judge(Record(Profile.Smoke, new() { ["flip_ok"] = 0 }, new() { ["flip_ok"] = "12 of 784 elements differ, first at [0, 0, 3, 24]" }));
        v.Should().Be(new Verdict(Outcome.Fail, "fails", "holds", "12 of 784 elements differ, first at [0, 0, 3, 24]"));
    }

    [Test]
    public void Findings_hold_when_every_part_does_and_name_the_first_failures()
    {
        new Findings().Expect(true, "never").Finding("all fine").Should().Be("all fine");
        var f = new Findings();
        for (int i = 0; i < 5; i++) f.Expect(i % 2 == 1, $"part {i} failed");
        f.Holds.Should().BeFalse();
        f.Finding("unused").Should().Be("part 0 failed; part 2 failed; part 4 failed");
    }

    [Test]
    public void Every_requirement_of_every_task_has_a_generated_sentence_and_a_unique_id()
    {
        var all = Assignments.All.SelectMany(a => a.Tasks).SelectMany(t => t.Requirements).ToList();
        all.Select(r => r.Id).Should().OnlyHaveUniqueItems();
        all.Should().OnlyContain(r => r.Text.Length > 10 && r.Text.EndsWith('.'));
        // A thresholded requirement states its own bound in its sentence.
        foreach (var r in all.Where(r => r.Threshold is not null && r.Threshold.Full != r.Threshold.Smoke))
            r.Text.Should().Contain("full profile; smoke:", r.Id);
    }
}
