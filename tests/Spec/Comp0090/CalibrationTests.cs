using FluentAssertions;
using Harness.Core.Requirements;
using Harness.Tasks.Comp0090;
using NUnit.Framework;

namespace Harness.Spec.Comp0090;

/// <summary>The calibrated bounds: mean − 3 sd of seeds 1, 2, 42, rounded down to half a point, and their stated source.</summary>
[Property("Assignment", "comp0090")]
public sealed class CalibrationTests
{
    [Test]
    public void The_bound_is_mean_minus_three_sd_rounded_down_to_half_a_point()
    {
        // mean 0.86333, sd 0.00764: 0.84042 → 84%
        Calibration.Bound([0.87, 0.855, 0.865]).Should().Be(0.84);
        // identical values: the bound is the value rounded down, and an exact half point stays
        Calibration.Bound([0.905, 0.905, 0.905]).Should().Be(0.905);
        Calibration.Bound([0.9, 0.9, 0.9]).Should().Be(0.9);
        FluentActions.Invoking(() => Calibration.Bound([0.9, 0.9])).Should().Throw<ArgumentException>();
    }

    [Test]
    public void The_source_gives_each_seed_s_value_and_says_when_the_full_bound_is_provisional()
    {
        var provisional = Calibration.Threshold(null, 0.85, new([0.87, 0.855, 0.865]), "600 images");
        (provisional.Full, provisional.Smoke, provisional.SmokeScale).Should().Be((0.85, 0.84, "600 images"));
        provisional.Source.Should().Contain("smoke 87.00% / 85.50% / 86.50%").And.Contain("full bound provisional");
        var measured = Calibration.Threshold(new([0.91, 0.905, 0.9088]), 0.85, new([0.87, 0.855, 0.865]), "600 images");
        measured.Full.Should().Be(0.9);
        measured.Source.Should().Contain("full 91.00% / 90.50% / 90.88%").And.NotContain("provisional");
        provisional.FullOrigin.Kind.Should().Be(OriginKind.Provisional);
        measured.FullOrigin.Kind.Should().Be(OriginKind.Calibrated);
        measured.FullOrigin.Values.Should().Equal(0.91, 0.905, 0.9088);
        measured.SmokeOrigin.Kind.Should().Be(OriginKind.Calibrated);
        measured.SmokeOrigin.Text.Should().StartWith(Calibration.Rule);
    }

    [Test]
    public void Every_comp0090_accuracy_bound_states_the_reference_it_comes_from()
    {
        var bounded = new Comp0090Assignment().Tasks.SelectMany(t => t.Requirements).Where(r => r.Threshold is not null && r.Id.EndsWith("accuracy")).ToList();
        bounded.Should().NotBeEmpty();
        foreach (var r in bounded)
        {
            r.Threshold!.Source.Should().Contain("mean − 3 sd of seeds 1, 2, 42", r.Id);
            r.Text.Should().Contain(r.Threshold.Source!, r.Id);
            r.Threshold.Smoke.Should().BeInRange(0.5, 1, r.Id);
            r.Threshold.FullOrigin.Kind.Should().Be(OriginKind.Calibrated, $"{r.Id}: every full reference is measured");
            r.Threshold.Full.Should().Be(Calibration.Bound([.. r.Threshold.FullOrigin.Values!]), r.Id);
        }
    }
}
