using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Metrics;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Spec.Reporting;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>Calibration records are sealed, found again by task configuration, and an edited one is never used.</summary>
[Property("Area", "Calibration")]
public sealed class CalibrationStoreTests
{
    string dir = "";

    [SetUp]
    public void TempDir() => dir = PdfTools.TempDir("calibration-store-" + Guid.NewGuid().ToString("N")[..8]);

    [TearDown]
    public void Clean() { if (Directory.Exists(dir)) Directory.Delete(dir, true); }

    private static CalibrationRecord Sample(params int[] seeds)
    {
        var values = seeds.Select((s, i) => 0.95 + 0.001 * i).ToList();
        return new CalibrationRecord
        {
            Assignment = "ex99", Task = "T1", RequirementId = "ex99.T1.acc", Value = "acc", Profile = Profile.Smoke, Device = "cpu",
            SettingsHash = "0123456789", Seeds = seeds.Zip(values, (s, v) => new CalibrationSeed(s, "abcdef0123", v)).ToList(),
            Statistics = SeedStatistics.Of(values), Comparison = Comparison.AtLeast, Threshold = 0.9,
            Verdict = new Verdict(Outcome.Pass, "mean 95.10%", "≥ 90%", ""),
            Environment = SampleData.Record("ex99", "T1", new Dictionary<string, double>()).Environment,
            Timing = new CalibrationTiming(DateTimeOffset.UnixEpoch, new Dictionary<string, double>(), new Dictionary<string, double>()),
        };
    }

    [Test]
    public void A_written_calibration_is_found_by_its_configuration_largest_seed_list_first()
    {
        var store = new CalibrationStore(dir);
        var three = store.Write(Sample(42, 1, 2));
        store.Write(Sample(42, 1, 2, 3, 4));
        three.Should().EndWith(Path.Combine("ex99", "T1", "calibration-smoke-cpu-0123456789-seeds-42_1_2", "ex99.T1.acc.json"));

        var found = store.Find("ex99", "T1", Profile.Smoke, "cpu", "0123456789");
        found.Select(s => s.Seeds.Count).Should().Equal(5, 3);
        found[1].Records.Single().Should().BeEquivalentTo(Sample(42, 1, 2), o => o.Excluding(r => r.Integrity));
        store.Find("ex99", "T1", Profile.Full, "cpu", "0123456789").Should().BeEmpty("another profile is another configuration");
        store.Find("ex99", "T1", Profile.Smoke, "cpu", "9999999999").Should().BeEmpty("other settings are another configuration");
    }

    [Test]
    public void An_edited_calibration_is_reported_not_used()
    {
        var store = new CalibrationStore(dir);
        var file = store.Write(Sample(42, 1, 2));
        File.WriteAllText(file, File.ReadAllText(file).Replace("\"threshold\": 0.9", "\"threshold\": 0.5"));
        var set = store.Find("ex99", "T1", Profile.Smoke, "cpu", "0123456789").Single();
        set.Records.Should().BeEmpty();
        set.Problems.Single().Should().Contain("edited by hand");
    }

    [Test]
    public void Default_seeds_start_with_the_configured_seed()
    {
        Calibrator.DefaultSeeds(42, 3).Should().Equal(42, 1, 2);
        Calibrator.DefaultSeeds(1, 3).Should().Equal(1, 2, 3);
    }

    [Test]
    public void A_seeds_training_time_is_the_trainers_sections_or_else_the_tasks_training_section_never_both()
    {
        static TimingInfo T(params (string Key, double Seconds)[] sections) =>
            new(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, 0, sections.ToDictionary(s => s.Key, s => s.Seconds));
        CalibrationTiming.TrainingSeconds(T(("training", 10), ("train_seconds", 9), ("test_seconds", 1))).Should().Be(9, "the task's section wraps the trainer's");
        CalibrationTiming.TrainingSeconds(T(("mlp3_train_seconds", 2), ("mlp4_train_seconds", 3), ("training", 6))).Should().Be(5);
        CalibrationTiming.TrainingSeconds(T(("training", 5))).Should().Be(5, "a task that trains outside the trainer has only its own section");
    }
}
