using System.Globalization;
using System.Text;
using System.Text.Json;
using Harness.Core.Records;

namespace Harness.Core.Planning;

/// <summary>One shard of a split run: the tasks it runs (whole dependency groups), its estimate and its test filter.</summary>
public sealed record Shard(int Index, IReadOnlyList<RunEstimate> Tasks, double Seconds, int UnknownTasks)
{
    /// <summary>
    /// The `dotnet test --filter` that selects exactly these tasks' requirement tests (NUnit properties Assignment and
    /// Task, which <c>TaskCatalogue</c> puts on each fixture).
    /// </summary>
    public string Filter => string.Join("|", Tasks.Select(t => $"(Assignment={t.Key.Assignment}&Task={t.Key.Task})"));
    public string TaskList => string.Join(" ", Tasks.Select(t => t.Id));
}

/// <summary>
/// Splits tasks into shards balanced by estimated time. A task and the tasks it depends on stay in one shard (they
/// share records), so each shard runs on its own machine and writes its own records; records are content-addressed by
/// run key, so the shards' folders merge by copying (<see cref="RecordMerge"/>). Groups go, longest first, to the
/// least loaded shard (LPT); a task of unknown cost counts as <c>unknownSeconds</c>.
/// </summary>
public static class ShardPlanner
{
    public static IReadOnlyList<Shard> Plan(IReadOnlyList<RunEstimate> tasks, int shards, double unknownSeconds)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), "at least one shard");
        var groups = Groups(tasks);
        // Never an empty shard: a filter that selects nothing fails the suite (on purpose).
        var count = Math.Min(shards, Math.Max(1, groups.Count));
        var load = new double[count];
        var members = Enumerable.Range(0, count).Select(_ => new List<RunEstimate>()).ToArray();
        double Cost(RunEstimate e) => e.Seconds ?? unknownSeconds;
        foreach (var g in groups.OrderByDescending(g => g.Sum(Cost)).ThenBy(g => g[0].Id, StringComparer.Ordinal))
        {
            var i = Array.IndexOf(load, load.Min());
            members[i].AddRange(g);
            load[i] += g.Sum(Cost);
        }
        return members.Select((m, i) => new Shard(i + 1, m, m.Sum(e => e.Seconds ?? 0), m.Count(e => e.Seconds is null))).ToList();
    }

    /// <summary>Connected components of "depends on" within each assignment, each in catalogue order.</summary>
    public static IReadOnlyList<IReadOnlyList<RunEstimate>> Groups(IReadOnlyList<RunEstimate> tasks)
    {
        var parent = tasks.ToDictionary(t => t.Id, t => t.Id);
        string Find(string x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var t in tasks)
            foreach (var d in t.DependsOn)
                if (parent.ContainsKey($"{t.Key.Assignment}/{d}")) parent[Find(t.Id)] = Find($"{t.Key.Assignment}/{d}");
        return tasks.GroupBy(t => Find(t.Id)).Select(g => (IReadOnlyList<RunEstimate>)g.ToList()).ToList();
    }

    /// <summary>GitHub Actions matrix: <c>{"include":[{"shard":1,"filter":"…","tasks":"…","estimate_minutes":12}]}</c>.</summary>
    public static string MatrixJson(IReadOnlyList<Shard> shards) => JsonSerializer.Serialize(new
    {
        include = shards.Select(s => new
        {
            shard = s.Index,
            filter = s.Filter,
            tasks = s.TaskList,
            estimate_minutes = Math.Ceiling(s.Seconds / 60),
            unknown_tasks = s.UnknownTasks,
        }),
    });

    /// <summary>
    /// A Slurm job array, one dependency group per array index, each on one GPU, all writing records into one shared
    /// folder (run locks keep two jobs off one run key). <paramref name="root"/> is the harness checkout on the cluster.
    /// </summary>
    public static string SlurmScript(IReadOnlyList<Shard> shards, string outputDir, string partition = "gpu")
    {
        // The longest shard's estimate with room to spare (unknown: a day), in whole hours.
        var hours = (int)Math.Clamp(Math.Ceiling(shards.Max(s => s.UnknownTasks > 0 ? 86400 : s.Seconds) * 1.5 / 3600), 1, 72);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""
            #!/bin/bash
            # Written by `harness plan --slurm`: the nightly regression as a job array, one dependency group per index.
            # Submit from the harness checkout (with the .NET SDK on PATH): sbatch harness-regression.sbatch
            #SBATCH --job-name=harness-regression
            #SBATCH --array=0-{{shards.Count - 1}}
            #SBATCH --partition={{partition}}
            #SBATCH --gres=gpu:1
            #SBATCH --cpus-per-task=8
            #SBATCH --mem=32G
            #SBATCH --time={{hours}}:00:00
            #SBATCH --output=slurm-%A_%a.out
            set -euo pipefail
            FILTERS=(

            """);
        foreach (var s in shards)
            sb.Append(CultureInfo.InvariantCulture, $"  '{s.Filter}'  # {s.TaskList}; estimate {RunEstimate.Duration(s.Seconds)}{(s.UnknownTasks > 0 ? $", {s.UnknownTasks} unknown" : "")}\n");
        sb.Append(CultureInfo.InvariantCulture, $$"""
            )
            # Records are content-addressed by run key: every job writes into the same shared folder (run locks keep
            # two jobs off one key), so `harness report --output "$HARNESS__OutputDir"` reads them all afterwards.
            export HARNESS__OutputDir="${HARNESS_OUTPUT:-{{outputDir}}}"
            export HARNESS__Device=cuda
            export HARNESS__RunBudgetMinutes=0
            dotnet test tests/Regression -c Release -p:UseCuda=true --filter "${FILTERS[$SLURM_ARRAY_TASK_ID]}" \
              --results-directory "$HARNESS__OutputDir/test-results" --logger "trx;LogFileName=shard-$SLURM_ARRAY_TASK_ID.trx" \
              --logger "console;verbosity=normal"

            """);
        return sb.ToString();
    }
}
