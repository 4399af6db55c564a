using FluentAssertions;
using Harness.Tasks.Comp0090;
using NUnit.Framework;

namespace Harness.Spec.Comp0090;

/// <summary>The nested fractions and the crossover of the sweeps of 3.4 and 3.5 (no task property: shared by both).</summary>
[Property("Assignment", "comp0090")]
public sealed class SweepTests
{
    private static readonly long[] Labels = Enumerable.Range(0, 1000).Select(i => (long)(i % 7 < 3 ? 0 : i % 7 < 5 ? 1 : 2)).ToArray();

    [Test]
    public void Subsets_are_nested_and_keep_every_class_at_its_share()
    {
        var fractions = Enumerable.Range(1, 20).Select(k => k / 20.0).ToArray();
        var subsets = fractions.Select(f => NestedSubsets.Take(Labels, f, seed: 3, stream: 1)).ToList();
        for (int k = 1; k < subsets.Count; k++) subsets[k].Should().Contain(subsets[k - 1]);
        subsets[^1].Should().Equal(Enumerable.Range(0, Labels.Length).Select(i => (long)i));
        foreach (var (s, f) in subsets.Zip(fractions))
            foreach (var c in new[] { 0L, 1L, 2L })
                s.Count(i => Labels[i] == c).Should().Be((int)Math.Round(f * Labels.Count(l => l == c), MidpointRounding.AwayFromZero));
        NestedSubsets.Take(Labels, 0.5, seed: 4, stream: 1).Should().NotEqual(subsets[9], "another seed draws other images");
    }

    [Test]
    public void The_crossover_is_where_the_early_leader_stops_being_better()
    {
        var f = new[] { 0.25, 0.5, 0.75, 1.0 };
        var c = FractionSweep.Crossover(f, [0.5, 0.4, 0.35, 0.3], [0.6, 0.45, 0.34, 0.29]);
        c.FirstBetterAtStart.Should().BeTrue();
        c.Fraction.Should().Be(0.75);
        c.SignChanges.Should().Be(1);
        FractionSweep.Statement(c, "encoder init", "random init").Should()
            .Be("At 25% of the training images the encoder init has the lower validation loss; from 75% on it stops being better (crossover at 75%: the random init's validation loss is as low or lower there).");

        var none = FractionSweep.Crossover(f, [0.5, 0.4, 0.3, 0.2], [0.6, 0.5, 0.4, 0.3]);
        none.Fraction.Should().BeNull();
        FractionSweep.Statement(none, "encoder init", "random init").Should().EndWith("no crossover.");
        FractionSweep.Crossover(f, [0.7, 0.4, 0.3, 0.2], [0.6, 0.5, 0.4, 0.3]).Should().Match<FractionSweep.CrossoverResult>(r => !r.FirstBetterAtStart && r.Fraction == 0.5);
    }
}
