using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Spec.Reporting;
using Harness.Tasks;
using NUnit.Framework;

namespace Harness.Spec.Ece4179;

/// <summary>An accuracy bound of the full profile is never passed on the stand-in: it is "not run (STL-10 not present)".</summary>
[Property("Assignment", "ece4179"), Property("Area", "Requirements")]
public sealed class StandInVerdictTests
{
    private static RunRecord Record(Profile profile, bool real, double accuracy) =>
        SampleData.Record("ece4179", "1.1", new Dictionary<string, double> { ["best_test_accuracy"] = accuracy }) with
        {
            Key = new RunKey("ece4179", "1.1", profile, 42, "cpu", "abc"),
            Settings = new Dictionary<string, string>
            {
                ["data"] = real ? new Stl10Source("", Stl10Catalog.Stl10, StandIn: false).Identity : new Stl10Source("", Stl10StandIn.Layout, StandIn: true).Identity,
            },
        };

    private static Requirement Accuracy => Assignments.GetTask("ece4179", "1.1").FindRequirement("ece4179.1.1.accuracy");

    [Test]
    public void At_the_full_profile_the_stand_in_is_not_run_whatever_it_measures()
    {
        var v = Accuracy.Judge(Record(Profile.Full, real: false, accuracy: 0.99));
        v.Outcome.Should().Be(Outcome.NotRun);
        v.Detail.Should().StartWith("not run (STL-10 not present): measured on the synthetic stand-in, not STL-10");
        v.Measured.Should().Be("99.00% on the stand-in");
    }

    [Test]
    public void Real_data_at_the_full_profile_and_the_stand_in_at_smoke_are_judged_by_their_bounds()
    {
        Accuracy.Judge(Record(Profile.Full, real: true, accuracy: 0.60)).Outcome.Should().Be(Outcome.Pass);
        Accuracy.Judge(Record(Profile.Full, real: true, accuracy: 0.50)).Outcome.Should().Be(Outcome.Fail);
        Accuracy.Judge(Record(Profile.Smoke, real: false, accuracy: 0.99)).Outcome.Should().Be(Outcome.Pass);
        Accuracy.Judge(Record(Profile.Smoke, real: false, accuracy: 0.01)).Outcome.Should().Be(Outcome.Fail);
    }

    [Test]
    public void The_provisional_bounds_say_so_and_the_points_are_the_seeds()
    {
        var a = Assignments.Get("ece4179");
        foreach (var (task, bound) in new[] { ("1.1", 0.55), ("2.1", 0.60), ("2.2", 0.68) })
        {
            var r = a.Tasks.Single(t => t.Id == task).Requirements.Single(r => r.Id.EndsWith(".accuracy"));
            r.Threshold!.Full.Should().Be(bound);
            r.Threshold.Source.Should().Be("provisional");
            r.Text.Should().Contain($"at least {bound * 100:0}% (full profile; smoke: at least").And.Contain("provisional full-profile bound until a run on STL-10 calibrates it");
        }
        double Points(string prefix) => a.Tasks.Where(t => t.Id.StartsWith(prefix)).Sum(t => t.Requirements.Sum(r => r.Points));
        (Points("1."), Points("2."), Points("3")).Should().Be((40, 45, 15));
    }
}
