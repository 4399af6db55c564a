using FluentAssertions;
using Harness.Core.Records;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec.Core;

/// <summary>A second process with the same seed writes the same record (ex08 1.2), byte for byte apart from the clock readings.</summary>
[Property("Assignment", "ex08"), Property("Task", "1.2")]
public sealed class ReproducibilityTests
{
    [Test]
    public void Same_seed_in_another_process_gives_an_identical_record()
    {
        var task = Harness.Tasks.Assignments.GetTask("ex08", "1.2");
        var (record, folder) = HarnessTestRun.Runner.LoadOrRunWithFolder(task);
        var output = Path.Combine(Path.GetTempPath(), "harness-repro-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var (code, log) = CliProcess.Run("run", "--assignment", "ex08", "--task", "1.2", "--output", output,
                "--profile", record.Key.ProfileName, "--seed", record.Key.Seed.ToString());
            code.Should().Be(0, log);
            var other = Path.Combine(output, "ex08", "1.2", record.Key.FolderName, RunStore.RecordFile);
            File.Exists(other).Should().BeTrue(log);
            CliProcess.WithoutTiming(File.ReadAllText(other))
                .Should().Be(CliProcess.WithoutTiming(File.ReadAllText(Path.Combine(folder, RunStore.RecordFile))));
        }
        finally { if (Directory.Exists(output)) Directory.Delete(output, true); }
    }
}
