using Harness.Core.Experiments;
using Harness.Core.Records;
using Harness.Core.Requirements;

namespace Harness.Core.Reporting;

/// <summary>A task with what the lookup found: its record and folder, or why there is none.</summary>
public sealed record TaskOutcome(TaskDefinition Task, RunRecord? Record, string? Folder, string? Problem);

/// <summary>Looks up every task's record and judges every requirement with <see cref="Requirement.Judge"/>.</summary>
public static class GradeSheet
{
    /// <summary>Calls the lookup; a <see cref="HarnessException"/> (broken record) becomes a task without a record.</summary>
    public static TaskOutcome Find(TaskDefinition task, Func<TaskDefinition, (RunRecord Record, string Folder)?> lookup)
    {
        try
        {
            var found = lookup(task);
            return found is { } f ? new TaskOutcome(task, f.Record, f.Folder, null) : new TaskOutcome(task, null, null, null);
        }
        catch (HarnessException e)
        {
            return new TaskOutcome(task, null, null, e is Records.BrokenRecordException ? "broken record: " + e.Message : e.Message);
        }
    }

    public static IReadOnlyList<GradeRow> Judge(IEnumerable<TaskOutcome> outcomes)
    {
        var rows = new List<GradeRow>();
        foreach (var o in outcomes)
            foreach (var r in o.Task.Requirements)
            {
                var v = r.Judge(o.Record);
                if (o.Problem is not null && o.Record is null) v = v with { Detail = o.Problem };
                rows.Add(new GradeRow(o.Task.Id, o.Task.Title, r, v));
            }
        return rows;
    }

    public static string Label(Outcome o) => o switch
    {
        Outcome.Pass => "pass",
        Outcome.Fail => "fail",
        Outcome.NotRun => "not run",
        _ => "error",
    };
}
