using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Harness.Spec;

/// <summary>Runs the real `harness` CLI (built beside the tests) in a child process.</summary>
public static class CliProcess
{
    public static (int ExitCode, string Output) Run(params string[] args) => Run(null, args);

    public static (int ExitCode, string Output) Run(IDictionary<string, string>? environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "harness.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["CI"] = "true";
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>
    /// A record's JSON without its "timing" part and the git commit it was made at (a reused record may come
    /// from an earlier commit with the same task revision): what must be identical between two runs of one seed.
    /// </summary>
    public static string WithoutTiming(string recordJson)
    {
        var node = JsonNode.Parse(recordJson)!.AsObject();
        node.Remove("timing");
        (node["environment"] as JsonObject)?.Remove("gitCommit");
        return node.ToJsonString();
    }
}
