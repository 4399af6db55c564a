using FluentAssertions;
using Harness.Core.Records;
using Harness.Tasks.Ex08;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Ex08;

[Property("Assignment", "ex08"), Property("Task", "1.2")]
public sealed class Q1_2Spec : TaskRequirementsFixture<Q1_2Baseline>
{
    /// <summary>A second process with the same seed writes the same record, byte for byte apart from the clock readings.</summary>
    [Test]
    public void Same_seed_in_another_process_gives_an_identical_record()
    {
        var output = Path.Combine(Path.GetTempPath(), "harness-repro-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (code, log) = CliProcess.Run("run", "--assignment", "ex08", "--task", "1.2", "--output", output,
                "--profile", Record.Key.Profile, "--seed", Record.Key.Seed.ToString());
            code.Should().Be(0, log);
            var other = Path.Combine(output, "ex08", "1.2", Record.Key.FolderName, RunStore.RecordFile);
            File.Exists(other).Should().BeTrue(log);
            CliProcess.WithoutTiming(File.ReadAllText(other))
                .Should().Be(CliProcess.WithoutTiming(File.ReadAllText(Path.Combine(RunFolder, RunStore.RecordFile))));
        }
        finally { if (Directory.Exists(output)) Directory.Delete(output, true); }
    }
}
