using FluentAssertions;
using Harness.Cli;
using NUnit.Framework;

namespace Harness.Spec;

[Property("Area", "Cli")]
public sealed class CliTests
{
    [Test]
    public void List_shows_assignments_tasks_and_requirements()
    {
        var (code, output) = CliProcess.Run("list");
        code.Should().Be(0, output);
        output.Should().Contain("ex08").And.Contain("1.2").And.Contain("1,199,882");
    }

    [Test]
    public void Unknown_task_is_one_clear_line_and_a_non_zero_exit()
    {
        var (code, output) = CliProcess.Run("run", "--assignment", "ex08", "--task", "9.9");
        code.Should().Be(ExitCodes.CouldNotRun);
        output.Trim().Should().Be("harness: Assignment 'ex08' has no task '9.9'. Its tasks: " + string.Join(", ", Harness.Tasks.Assignments.Get("ex08").Tasks.Select(t => t.Id)) + ".");
    }

    [Test]
    public void Unknown_assignment_and_unknown_option_are_rejected()
    {
        CliProcess.Run("run", "--assignment", "nope").ExitCode.Should().Be(ExitCodes.CouldNotRun);
        var (code, output) = CliProcess.Run("list", "--profle", "full");
        code.Should().Be(2);
        output.Should().Contain("unknown option: --profle");
    }

    [Test]
    public void Bad_configuration_names_the_key()
    {
        var (code, output) = CliProcess.Run(new Dictionary<string, string> { ["HARNESS__Device"] = "tpu" }, "list");
        code.Should().Be(3);
        output.Should().Contain("'Device'").And.Contain("tpu");
    }

    [Test]
    public void Data_verify_checks_the_canonical_checksums()
    {
        var (code, output) = CliProcess.Run("data", "verify");
        output.Should().Contain("Fashion-MNIST");
        if (code == 0) output.Should().Contain("8181f5470baa50b63fa0f6fddb340f0a");
    }

    [Test]
    public void Bench_reports_training_and_inference_throughput()
    {
        var (code, output) = CliProcess.Run("bench", "--batches", "2", "--batch-size", "8", "--device", "cpu", "--no-loop");
        code.Should().Be(0, output);
        output.Should().MatchRegex(@"training .*:\s+\d+ images/s").And.MatchRegex(@"inference .*:\s+\d+ images/s");
        CliProcess.Run("bench", "--batches", "zero").ExitCode.Should().Be(2);
        CliProcess.Run("bench", "--workload", "nope").ExitCode.Should().Be(2);
    }

    [Test]
    public void Bench_compares_the_harness_loop_with_the_bare_loop_and_sweeps_evaluation_batches()
    {
        var (code, output) = CliProcess.Run("bench", "--batches", "2", "--batch-size", "8", "--workload", "hw4-2b", "--train", "256", "--epochs", "1",
            "--repeats", "1", "--eval-batches", "64,128");
        code.Should().Be(0, output);
        output.Should().MatchRegex(@"training loop, hw4-2b .*harness \d+\.\d+ s, bare \d+\.\d+ s, ratio \d+\.\d+")
            .And.MatchRegex(@"training steps: harness .* ratio \d+\.\d+")
            .And.MatchRegex(@"evaluation, hw4-2b, batch\s+64: \d+ images/s").And.MatchRegex(@"batch\s+128: \d+ images/s");
    }
}
