using FluentAssertions;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace Harness.Spec.Nightly;

/// <summary>The workflow files parse, and the jobs, the matrix source and the commands they name exist in this repository.</summary>
[Property("Area", "Nightly")]
public sealed class WorkflowTests
{
    private static string Root => Path.GetDirectoryName(Harness.Core.Configuration.OptionsLoader.FindSettingsFile() ?? throw new InconclusiveException("no source tree beside the tests"))!;

    private static YamlMappingNode Load(string name)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, ".github", "workflows", name)));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Map(YamlNode n, string key) => (YamlMappingNode)((YamlMappingNode)n)[key];
    private static IEnumerable<string> Runs(YamlMappingNode job) =>
        ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>().Where(s => s.Children.ContainsKey("run")).Select(s => s["run"].ToString());
    private static IEnumerable<string> Uses(YamlMappingNode job) =>
        ((YamlSequenceNode)job["steps"]).Cast<YamlMappingNode>().Where(s => s.Children.ContainsKey("uses")).Select(s => s["uses"].ToString());

    [Test]
    public void Ci_runs_the_projects_own_ci_script_on_push_and_pull_request()
    {
        var ci = Load("ci.yml");
        Map(ci, "on").Children.Keys.Select(k => k.ToString()).Should().Contain(new[] { "push", "pull_request" });
        var job = Map(Map(ci, "jobs"), "spec");
        job["runs-on"].ToString().Should().Be("ubuntu-latest");
        Runs(job).Should().Contain("bash .ci/run");
        File.Exists(Path.Combine(Root, ".ci", "run")).Should().BeTrue();
        Uses(job).Should().Contain(u => u.StartsWith("actions/cache@"), "the data sets are a cached download");
    }

    [Test]
    public void Nightly_plans_shards_with_the_harness_runs_them_on_cuda_and_merges_reports_and_drift()
    {
        var nightly = Load("nightly.yml");
        Map(nightly, "on").Children.Keys.Select(k => k.ToString()).Should().Contain(new[] { "schedule", "workflow_dispatch" });
        var jobs = Map(nightly, "jobs");
        jobs.Children.Keys.Select(k => k.ToString()).Should().Equal("plan", "shard", "report");

        var plan = Map(jobs, "plan");
        ((YamlSequenceNode)plan["runs-on"]).Select(n => n.ToString()).Should().Contain(new[] { "self-hosted", "cuda" });
        Runs(plan).Should().Contain(r => r.Contains("-p:UseCuda=true"));
        Runs(plan).Should().Contain(r => r.Contains("harness.dll plan") && r.Contains("--shards") && r.Contains("--json") && r.Contains("GITHUB_OUTPUT"));
        Map(plan, "outputs")["matrix"].ToString().Should().Contain("steps.plan.outputs.matrix");

        var shard = Map(jobs, "shard");
        shard["needs"].ToString().Should().Be("plan");
        Map(shard, "strategy")["matrix"].ToString().Should().Be("${{ fromJson(needs.plan.outputs.matrix) }}");
        Runs(shard).Should().Contain(r => r.Contains("dotnet test tests/Regression") && r.Contains("${{ matrix.filter }}"));
        Uses(shard).Should().Contain(u => u.StartsWith("actions/upload-artifact@"));

        var report = Map(jobs, "report");
        var runs = Runs(report).ToList();
        runs.Should().Contain(r => r.Contains("harness.dll merge")).And.Contain(r => r.Contains("harness.dll report"))
            .And.Contain(r => r.Contains("harness.dll drift") && r.Contains("GITHUB_STEP_SUMMARY"));
    }

    [Test]
    public void Every_path_and_harness_command_the_workflows_name_exists()
    {
        foreach (var path in new[] { "Harness.sln", "tests/Regression", "src/Cli", "tests/Regression/baselines" })
            (File.Exists(Path.Combine(Root, path)) || Directory.Exists(Path.Combine(Root, path))).Should().BeTrue($"{path} is named by a workflow");
        var text = File.ReadAllText(Path.Combine(Root, ".github", "workflows", "nightly.yml"));
        var commands = System.Text.RegularExpressions.Regex.Matches(text, @"harness\.dll (\w+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        commands.Should().BeEquivalentTo(new[] { "plan", "merge", "report", "drift" });
        foreach (var c in commands) Harness.Cli.CommandTable.Find(new[] { c }).Should().NotBeNull($"the workflow runs `harness {c}`");
    }
}
