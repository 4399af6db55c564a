using System.Text.Json;
using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Planning;
using Harness.Core.Records;
using Harness.Tasks;
using Harness.Tasks.Cm500335.Models;
using NUnit.Framework;

namespace Harness.Spec.Nightly;

/// <summary>Shards keep dependency groups whole, balance by estimate, never come out empty, and print as a matrix and an sbatch array.</summary>
[Property("Area", "Nightly")]
public sealed class ShardPlanTests
{
    private static RunEstimate E(string assignment, string task, double? seconds, params string[] dependsOn) =>
        new(new RunKey(assignment, task, Profile.Full, 42, "cpu", "0000000000"), seconds is null ? EstimateBasis.Unknown : EstimateBasis.Scaled, seconds, "test", dependsOn);

    private static readonly RunEstimate[] Tasks =
    {
        E("a", "1", 100), E("a", "2", 50, "1"), E("a", "3", 400), E("b", "1", 300), E("b", "2", null), E("b", "3", 10, "2"),
    };

    [Test]
    public void A_task_and_its_dependencies_share_a_shard()
    {
        var shards = ShardPlanner.Plan(Tasks, 3, unknownSeconds: 200);
        string ShardOf(string id) => shards.Single(s => s.Tasks.Any(t => t.Id == id)).TaskList;
        ShardOf("a/2").Should().Be(ShardOf("a/1"));
        ShardOf("b/3").Should().Be(ShardOf("b/2"));
        shards.SelectMany(s => s.Tasks).Select(t => t.Id).Should().BeEquivalentTo(Tasks.Select(t => t.Id), "every task is in exactly one shard");
    }

    [Test]
    public void Groups_go_longest_first_to_the_least_loaded_shard()
    {
        // Groups: a/3 400, b/1 300, b/2+b/3 210 (unknown counts 200), a/1+a/2 150 → LPT on 2 shards: {400, 150} and {300, 210}.
        var shards = ShardPlanner.Plan(Tasks, 2, unknownSeconds: 200);
        shards.Select(s => s.TaskList).Should().Equal("a/3 a/1 a/2", "b/1 b/2 b/3");
        shards[1].UnknownTasks.Should().Be(1);
        shards[1].Seconds.Should().Be(310, "the shard's known estimate; the unknown task is counted apart");
    }

    [Test]
    public void More_shards_than_groups_gives_no_empty_shard()
    {
        ShardPlanner.Plan(Tasks, 50, 200).Should().HaveCount(4).And.OnlyContain(s => s.Tasks.Count > 0);
    }

    [Test]
    public void The_filter_selects_the_shards_tasks_by_their_NUnit_properties()
    {
        var shard = ShardPlanner.Plan(Tasks, 4, 200).Single(s => s.Tasks.Any(t => t.Id == "a/1"));
        shard.Filter.Should().Be("(Assignment=a&Task=1)|(Assignment=a&Task=2)");
    }

    [Test]
    public void The_matrix_is_the_json_GitHub_Actions_expects()
    {
        var json = ShardPlanner.MatrixJson(ShardPlanner.Plan(Tasks, 2, 200));
        using var doc = JsonDocument.Parse(json);
        var include = doc.RootElement.GetProperty("include");
        include.GetArrayLength().Should().Be(2);
        include[0].GetProperty("shard").GetInt32().Should().Be(1);
        include[0].GetProperty("filter").GetString().Should().Contain("(Assignment=a&Task=3)");
        include[0].GetProperty("estimate_minutes").GetDouble().Should().Be(Math.Ceiling(550 / 60.0));
    }

    [Test]
    public void The_sbatch_script_is_a_gpu_job_array_with_one_group_per_index()
    {
        var shards = ShardPlanner.Plan(Tasks, int.MaxValue, 200);
        var script = ShardPlanner.SlurmScript(shards, "/scratch/harness/runs");
        script.Should().StartWith("#!/bin/bash").And.Contain($"#SBATCH --array=0-{shards.Count - 1}").And.Contain("#SBATCH --gres=gpu:1")
            .And.Contain("HARNESS__OutputDir=\"${HARNESS_OUTPUT:-/scratch/harness/runs}\"")
            .And.Contain("--filter \"${FILTERS[$SLURM_ARRAY_TASK_ID]}\"");
        foreach (var s in shards) script.Should().Contain($"'{s.Filter}'");
        var bash = ScriptCheck.Bash("-n", script);
        bash.ExitCode.Should().Be(0, $"the script is valid bash: {bash.Output}");
    }

    [Test]
    public void The_cost_model_of_the_task_6_network_counts_its_weights()
    {
        using var model = new FashionCnn(10);
        var weights = model.parameters().Sum(p => p.numel());
        FashionCnn.Weights(FashionCnn.BriefDense, 10).Should().Be(weights);
        using var smoke = new FashionCnn(10, new[] { 392, 128, 100 });
        FashionCnn.Weights(new[] { 392, 128, 100 }, 10).Should().Be(smoke.parameters().Sum(p => p.numel()));
    }

    [Test]
    public void Every_task_declares_its_work_at_both_profiles()
    {
        var missing = Assignments.All.SelectMany(a => a.Tasks)
            .Where(t => t.Work(new HarnessOptions { Profile = Profile.Smoke }) is not > 0 || t.Work(new HarnessOptions { Profile = Profile.Full }) is not > 0)
            .Select(t => $"{t.Assignment}/{t.Id}").ToList();
        missing.Should().BeEmpty("the regression suite's estimates scale a measured smoke run by the ratio of the two work volumes");
    }
}

/// <summary>Runs bash on a script given as text (for syntax checks).</summary>
internal static class ScriptCheck
{
    public static (int ExitCode, string Output) Bash(string flag, string script)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, script);
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
            psi.ArgumentList.Add(flag); psi.ArgumentList.Add(file);
            using var p = System.Diagnostics.Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        finally { File.Delete(file); }
    }
}
