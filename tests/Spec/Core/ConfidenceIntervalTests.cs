using FluentAssertions;
using Harness.Core.Metrics;
using NUnit.Framework;

namespace Harness.Spec.Core;

public class ConfidenceIntervalTests
{
    [Test]
    public void Wilson_matches_the_textbook_values()
    {
        // 81 of 100 at 95%: Wilson gives [0.7222, 0.8749] (Newcombe 1998, method 3).
        var i = ConfidenceInterval.Wilson(81, 100);
        i.Low.Should().BeApproximately(0.7222, 5e-4);
        i.High.Should().BeApproximately(0.8749, 5e-4);
        ConfidenceInterval.Wilson(0, 10).Low.Should().Be(0);
        ConfidenceInterval.Wilson(10, 10).High.Should().Be(1);
    }

    [Test]
    public void A_point_under_a_threshold_on_two_thousand_images_is_inside_the_interval()
    {
        var i = ConfidenceInterval.WilsonOfAccuracy(0.849, 2000);
        i.Low.Should().BeLessThan(0.85);
        i.High.Should().BeGreaterThan(0.85);
    }

    [Test]
    public void Lower_bound_over_seeds_uses_student_t()
    {
        double[] v = { 97.85, 97.42, 97.74 };
        double mean = v.Average(), sd = ConfidenceInterval.StandardDeviation(v);
        // t(0.95, 2) = 2.919986
        ConfidenceInterval.MeanLowerBound(v).Should().BeApproximately(mean - 2.919986 * sd / Math.Sqrt(3), 1e-6);
        ConfidenceInterval.MeanUpperBound(v).Should().BeApproximately(mean + 2.919986 * sd / Math.Sqrt(3), 1e-6);
    }
}
