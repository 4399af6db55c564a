using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Metrics;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Spec.Reporting;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>A bound judged over seeds: the mean's one-sided 95% Student-t bound must clear it, with at most one seed that did not converge.</summary>
[Property("Area", "Calibration")]
public sealed class SeedSetTests
{
    private static SeedRun Seed(int seed, double acc) =>
        new(seed, SampleData.Record("ex99", "T1", new Dictionary<string, double> { ["acc"] = acc, ["test_images"] = 10000 })
            with { Key = new RunKey("ex99", "T1", Profile.Smoke, seed, "cpu", "abc") });

    private static readonly Requirement Accuracy =
        Requirement.AtLeast("x.acc", "Test accuracy", 1, "acc", new Threshold(0.99, 0.95), ValueFormat.Percent);

    [Test]
    public void The_mean_must_clear_the_bound_at_its_lower_confidence_bound()
    {
        // mean 0.96, sd 0.01, t(0.95, 2) = 2.919986: lower bound 0.96 − 2.919986·0.01/√3 = 0.943141 < 0.95 although the mean clears it.
        var wide = new SeedSet(Profile.Smoke, [Seed(42, 0.95), Seed(1, 0.96), Seed(2, 0.97)]);
        var v = Accuracy.JudgeOverSeeds(wide);
        v.Outcome.Should().Be(Outcome.Fail);
        v.Measured.Should().Be("mean 96.00%, lower bound 94.31%");
        v.Detail.Should().Contain("seeds 42, 1, 2").And.Contain("sd 1.00 points").And.Contain("2 degrees of freedom");
        ConfidenceInterval.MeanLowerBound([0.95, 0.96, 0.97]).Should().BeApproximately(0.96 - 2.919986 * 0.01 / Math.Sqrt(3), 1e-6);

        var narrow = new SeedSet(Profile.Smoke, [Seed(42, 0.959), Seed(1, 0.96), Seed(2, 0.961)]);
        Accuracy.JudgeOverSeeds(narrow).Outcome.Should().Be(Outcome.Pass);
    }

    [Test]
    public void One_seed_may_fail_to_converge_two_may_not_and_a_missing_seed_is_not_run()
    {
        var oneDiverged = new SeedSet(Profile.Smoke, [Seed(42, 0.96), new SeedRun(1, null, "diverged: loss NaN"), Seed(2, 0.961), Seed(3, 0.959)]);
        var v = Accuracy.JudgeOverSeeds(oneDiverged);
        v.Outcome.Should().Be(Outcome.Pass);
        v.Detail.Should().Contain("did not converge: seed 1 (diverged: loss NaN)");

        var twoDiverged = new SeedSet(Profile.Smoke, [Seed(42, 0.96), new SeedRun(1, null, "diverged"), new SeedRun(2, null, "diverged")]);
        Accuracy.JudgeOverSeeds(twoDiverged).Outcome.Should().Be(Outcome.Fail);

        var missing = new SeedSet(Profile.Smoke, [Seed(42, 0.96), new SeedRun(1, null)]);
        Accuracy.JudgeOverSeeds(missing).Outcome.Should().Be(Outcome.NotRun);
    }

    [Test]
    public void An_accuracy_has_its_binomial_interval_on_the_test_set_size()
    {
        var record = Seed(42, 0.9785).Record!;
        var i = Accuracy.MeasuredInterval(record)!;
        i.Should().Be(ConfidenceInterval.WilsonOfAccuracy(0.9785, 10000));
        i.Low.Should().BeLessThan(0.9785).And.BeGreaterThan(0.975);
        i.High.Should().BeGreaterThan(0.9785).And.BeLessThan(0.9815);
    }

    [Test]
    public void A_threshold_says_where_each_bound_comes_from()
    {
        var t = new Threshold(0.98, 0.9) { FullOrigin = ThresholdOrigin.Seed("the brief asks for 98%") };
        t.OriginFor(Profile.Full).Should().Be(ThresholdOrigin.Seed("the brief asks for 98%"));
        t.OriginFor(Profile.Smoke).Should().Be(ThresholdOrigin.SmokeByHand);
        new Threshold(0.98, 0.9).OriginFor(Profile.Full).Kind.Should().Be(OriginKind.Provisional);
        Threshold.Both(0.5, "the best run of the seed's protocol").OriginFor(Profile.Smoke).Text.Should().Be("the best run of the seed's protocol");

        var calibrated = ThresholdOrigin.CalibratedFrom("the 95% lower bound of the mean, rounded down to 0.1 point", Profile.Smoke, [42, 1, 2], [0.95, 0.96, 0.97], ValueFormat.Percent);
        calibrated.Kind.Should().Be(OriginKind.Calibrated);
        calibrated.Seeds.Should().Equal(42, 1, 2);
        calibrated.Values.Should().Equal(0.95, 0.96, 0.97);
        calibrated.Text.Should().Contain("seeds 42, 1, 2 at smoke: 95.00%, 96.00%, 97.00%").And.Contain("mean 96.00%").And.Contain("lower bound 94.31%");
    }

    [Test]
    public void The_bounds_the_specification_sets_say_so_with_their_label()
    {
        var origin = ThresholdOrigin.Specified("set by the assignment's specification (issue 6); the brief states no number");
        origin.Kind.Should().Be(OriginKind.Specified);
        origin.Label.Should().Be("specified");
        foreach (var id in new[] { "2.1", "3.1", "4.1", "5", "6.1" })
            Harness.Tasks.Assignments.GetTask("cm500335", id).Requirements.Where(r => r.IsBounded)
                .Should().OnlyContain(r => r.Threshold!.FullOrigin == Harness.Tasks.Cm500335.Cm500335Assignment.Specification, $"cm500335 {id}'s full bounds are issue 6's numbers");
    }
}
