using FluentAssertions;
using Harness.Cli;
using Harness.Spec.Reporting;
using Harness.TestSupport;
using NUnit.Framework;

namespace Harness.Spec;

/// <summary>The CLI that talks: per-command help, --version, command groups, list with records, report --task.</summary>
[Property("Area", "Cli")]
public sealed class CommandHelpTests
{
    [Test]
    public void Each_command_has_its_own_help_with_only_its_options()
    {
        var (code, output) = CliProcess.Run("report", "--help");
        code.Should().Be(ExitCodes.Ok, output);
        output.Should().StartWith("usage: harness report").And.Contain("--format pdf|latex").And.Contain("--task T")
            .And.Contain("--run-missing").And.Contain("--profile smoke|full");
        output.Should().NotContain("--workload").And.NotContain("--records-only").And.NotContain("--force");

        CliProcess.Run("help", "run").Output.Should().StartWith("usage: harness run").And.Contain("--force").And.NotContain("--format");
        CliProcess.Run("bench", "--help").Output.Should().Contain("--workload").And.NotContain("--run-missing");
    }

    [Test]
    public void A_bad_option_prints_that_commands_help_not_the_overview()
    {
        var (code, output) = CliProcess.Run("report", "--format", "docx");
        code.Should().Be(ExitCodes.Usage);
        output.Should().Contain("--format docx is not a report format").And.Contain("usage: harness report").And.NotContain("commands:");
    }

    [Test]
    public void The_overview_lists_every_command_and_a_group_word_lists_its_subcommands()
    {
        var (code, output) = CliProcess.Run("--help");
        code.Should().Be(ExitCodes.Ok);
        foreach (var c in CommandTable.All) output.Should().Contain(c.Name);
        output.Should().Contain("--version");

        var (dataCode, data) = CliProcess.Run("data");
        dataCode.Should().Be(ExitCodes.Usage, "a group word alone is not a command");
        data.Should().Contain("usage: harness data <subcommand>").And.Contain("data verify");
        CliProcess.Run("data", "--help").ExitCode.Should().Be(ExitCodes.Ok);
    }

    [Test]
    public void Version_names_harness_torchsharp_libtorch_and_the_device()
    {
        var (code, output) = CliProcess.Run("--version");
        code.Should().Be(ExitCodes.Ok, output);
        output.Should().MatchRegex(@"(?m)^harness \S+").And.Contain("TorchSharp 0.107").And.MatchRegex(@"(?m)^libtorch .*2\.10")
            .And.MatchRegex(@"(?m)^device \S+");
    }

    [Test]
    public void List_says_which_tasks_have_a_record_for_this_profile_and_seed()
    {
        var runs = PdfTools.TempDir("list-records");
        var (code, output) = CliProcess.Run("list", "--assignment", "ex08", "--records-only", "--output", runs,
            "--profile", HarnessTestRun.Options.ProfileName, "--seed", HarnessTestRun.Options.Seed.ToString());
        code.Should().Be(ExitCodes.Ok, output);
        output.Should().Contain($"profile {HarnessTestRun.Options.ProfileName}, seed {HarnessTestRun.Options.Seed}")
            .And.Contain("0 of 8 tasks recorded").And.Contain("· 1.2").And.NotContain("[1 pt]");
    }

    [Test]
    public void Report_task_renders_a_partial_report_beside_the_full_one()
    {
        PdfTools.Require();
        var dir = PdfTools.TempDir("report-task");
        var reports = Path.Combine(dir, "reports");
        var (code, output) = CliProcess.Run(new Dictionary<string, string> { ["HARNESS__ReportsDir"] = reports },
            "report", "--assignment", "ex08", "--task", "1.1,1.2", "--output", Path.Combine(dir, "runs"),
            "--profile", HarnessTestRun.Options.ProfileName, "--seed", HarnessTestRun.Options.Seed.ToString());
        code.Should().Be(ExitCodes.Ok, output);
        output.Should().Contain("2 of 2 task(s) not run");
        var pdf = Path.Combine(reports, "ex08-tasks-1.1-1.2.pdf");
        File.Exists(pdf).Should().BeTrue(output);
        File.Exists(Path.Combine(reports, "ex08.pdf")).Should().BeFalse("a partial report does not replace the full one");
        var text = string.Join(" ", PdfTools.Text(pdf).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        text.Should().Contain("1.1: Loading Fashion-MNIST").And.Contain("a partial report").And.NotContain("1.3: Data augmentation")
            .And.Contain("harness report --assignment ex08 --task 1.1,1.2");
        CliProcess.Run("report", "--task", "1.1").ExitCode.Should().Be(ExitCodes.Usage, "--task needs --assignment");
    }
}
