using System.Diagnostics;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Grading.Outputs;
using Harness.Core.Records;
using Harness.Core.Requirements;
using Harness.Core.Training;

namespace Harness.Core.Grading;

/// <summary>What one submission's grading did in this run.</summary>
public enum SubmissionOutcome { Graded, Kept }

/// <summary>What a batch did: every submission's grade, which were graded now and which kept, and where the class outputs are.</summary>
public sealed record BatchResult(IReadOnlyList<(SubmissionGrade Grade, SubmissionOutcome Outcome)> Submissions, string OutputFolder,
    string GradeBookPath, string? SummaryPath, BatchStats Stats);

/// <summary>
/// Grades a class: every submission folder under a folder (or one submission folder), each judged against the
/// assignment's graded tasks. A submission whose grade is on disk under the same grading key (same files, same grader)
/// is kept; the others are measured (by the runner: in process, or in worker processes with budgets) and their grade
/// is written the moment it is ready — grade.json, Gradescope results.json, JUnit XML and the feedback PDF, staged in a
/// folder of their own and moved into place in one rename — so that a batch killed at any point keeps every finished
/// submission and a rerun grades only the rest. The grade book (CSV) and class summary (PDF) are then written from
/// every grade on disk.
/// <code>
/// OUT/gradebook.csv, OUT/summary.pdf, OUT/submissions/&lt;id&gt;/{grade.json, results.json, junit.xml, feedback.pdf}
/// </code>
/// </summary>
public sealed class GradingBatch
{
    public const string GradeFile = "grade.json", ResultsFile = "results.json", JUnitFile = "junit.xml", FeedbackFile = "feedback.pdf";
    public const string GradeBookFile = "gradebook.csv", SummaryFile = "summary.pdf";
    private const string SubmissionsFolder = "submissions", StagingFolder = ".staging";

    private readonly IAssignment _assignment;
    private readonly IReadOnlyList<TaskDefinition> _graded;
    private readonly HarnessOptions _options;
    private readonly GradingOptions _grading;
    private readonly string _out;
    private readonly IProgressSink _progress;
    private readonly object _writeLock = new();

    /// <param name="taskIds">the graded tasks to grade (all of the assignment's when empty)</param>
    public GradingBatch(IAssignment assignment, IReadOnlyList<string> taskIds, HarnessOptions options, GradingOptions grading, string outputFolder, IProgressSink progress)
    {
        _assignment = assignment; _options = options; _grading = grading; _progress = progress;
        _out = Path.GetFullPath(outputFolder);
        var gradable = assignment.Tasks.Where(t => t is IGradedTask).ToList();
        if (gradable.Count == 0) throw new HarnessException($"{assignment.Id} has no task graded from a submitted model yet (graded tasks implement IGradedTask).");
        _graded = taskIds.Count == 0 ? gradable : taskIds.Select(id => gradable.FirstOrDefault(t => t.Id.Equals(id, StringComparison.OrdinalIgnoreCase))
            ?? throw new HarnessException($"{assignment.Id} has no graded task '{id}'. Its graded tasks: {string.Join(", ", gradable.Select(t => t.Id))}.")).ToList();
    }

    public IReadOnlyList<TaskDefinition> GradedTasks => _graded;
    public string SubmissionFolder(string id) => Path.Combine(_out, SubmissionsFolder, RunStore.Safe(id));

    /// <summary>The submission folders: <paramref name="folder"/> itself when it holds a submission.json (or model files and no sub-folders), else its sub-folders.</summary>
    public static IReadOnlyList<string> Discover(string folder)
    {
        if (!Directory.Exists(folder)) throw new HarnessException($"The submissions folder {folder} does not exist: give the folder that holds one folder per submission (--submissions DIR).");
        var subfolders = Directory.GetDirectories(folder).Where(d => !Path.GetFileName(d).StartsWith('.')).Order(StringComparer.Ordinal).ToList();
        if (File.Exists(Path.Combine(folder, ManifestReader.FileName)) || subfolders.Count == 0) return [folder];
        return subfolders;
    }

    public BatchResult Run(IReadOnlyList<string> submissionFolders, ISubmissionRunner runner)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(Path.Combine(_out, SubmissionsFolder));
        CleanStaging();
        var plans = submissionFolders.Select(f => SubmissionPlan.For(f, _assignment, _graded, _options, _grading)).ToList();
        var duplicate = plans.GroupBy(p => RunStore.Safe(p.Id)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new HarnessException($"Two submission folders would be graded as '{duplicate.Key}' ({string.Join(", ", duplicate.Select(p => p.Folder))}); rename one.");

        var results = new (SubmissionGrade Grade, SubmissionOutcome Outcome)?[plans.Count];
        var todo = new List<int>();
        for (int i = 0; i < plans.Count; i++)
        {
            if (Existing(plans[i]) is { } kept) results[i] = (kept, SubmissionOutcome.Kept);
            else todo.Add(i);
        }
        if (plans.Count > todo.Count) _progress.Message($"{plans.Count - todo.Count} of {plans.Count} submissions are unchanged since they were graded; kept.");
        int done = 0;
        var queue = new System.Collections.Concurrent.ConcurrentQueue<int>(todo);
        Exception? stop = null;
        void Work()
        {
            while (stop is null && queue.TryDequeue(out var i))
            {
                try
                {
                    var grade = Grade(plans[i], runner);
                    Commit(grade);
                    results[i] = (grade, SubmissionOutcome.Graded);
                    var n = Interlocked.Increment(ref done);
                    _progress.Message($"[{n}/{todo.Count}] {grade.Submission} ({grade.Student}): {Points(grade.Score)} of {Points(grade.MaxScore)} points in {grade.Seconds:0.0} s"
                        + (grade.Problems.Count > 0 ? $" — {grade.Problems[0]}" : ""));
                }
                catch (Exception e) { stop ??= e; }
            }
        }
        var threads = Enumerable.Range(0, Math.Min(runner.Parallelism, Math.Max(1, todo.Count))).Select(_ => new Thread(Work)).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (stop is not null) throw stop is HarnessException ? stop : new HarnessException($"grading stopped: {stop.Message}", stop);

        var all = results.Select(r => r!.Value).ToList();
        var stats = new BatchStats(todo.Count, plans.Count - todo.Count, clock.Elapsed.TotalSeconds, (runner as WorkerPool)?.PeakBytes ?? 0,
            Process.GetCurrentProcess().PeakWorkingSet64);
        var (book, summary) = WriteClassOutputs(all.Select(r => r.Grade).ToList(), stats);
        return new BatchResult(all, _out, book, summary, stats with { WallSeconds = clock.Elapsed.TotalSeconds });
    }

    /// <summary>The grade on disk for this plan when its grading key matches (same files, same grader); null otherwise.</summary>
    private SubmissionGrade? Existing(SubmissionPlan plan)
    {
        var file = Path.Combine(SubmissionFolder(plan.Id), GradeFile);
        if (!File.Exists(file)) return null;
        try
        {
            var g = RecordJson.Deserialize<SubmissionGrade>(File.ReadAllText(file));
            return g.Format == SubmissionGrade.FormatVersion && g.GradingKey == plan.GradingKey && g.Tasks is not null ? g : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or InvalidOperationException or NotSupportedException) { return null; }
    }

    private SubmissionGrade Grade(SubmissionPlan plan, ISubmissionRunner runner)
    {
        SubmissionMeasurement? m = null;
        if (plan.Files.Count > 0) m = runner.Measure(new MeasureRequest(plan.Id, plan.Files, _grading.TimeLimitSeconds));
        var problems = plan.Problems.ToList();
        if (m?.Failure is { } failure) problems.Add(failure);
        var tasks = new List<TaskGrade>();
        foreach (var task in _graded)
        {
            var file = plan.Files.FirstOrDefault(f => f.TaskId == task.Id);
            var measured = m?.Tasks.FirstOrDefault(t => t.TaskId == task.Id);
            if (file is null)
                tasks.Add(GradeJudge.Judge(task, null, $"not submitted: {NotSubmittedWhy(plan, task)}", _grading.Profile, _options.Seed));
            else if (measured is null)
                tasks.Add(GradeJudge.Judge(task, null, "not measured: " + (m?.Failure ?? "the grader returned no measurement"), _grading.Profile, _options.Seed, Outcome.Fail) with { File = file.Display });
            else
                tasks.Add(GradeJudge.Judge(task, measured, null, _grading.Profile, _options.Seed));
        }
        return new SubmissionGrade
        {
            Assignment = _assignment.Id,
            Submission = plan.Id,
            Student = plan.Student,
            ContentHash = plan.ContentHash,
            GradingKey = plan.GradingKey,
            Profile = _grading.Profile,
            Seed = _options.Seed,
            GradedUtc = DateTimeOffset.UtcNow,
            Tasks = tasks,
            Problems = problems,
            Notes = plan.Notes,
            Seconds = m?.Seconds ?? 0,
            PeakBytes = m?.PeakBytes ?? 0,
        };
    }

    private static string NotSubmittedWhy(SubmissionPlan plan, TaskDefinition task) =>
        plan.Problems.FirstOrDefault(p => p.Contains(ManifestReader.FileName + " is") || p.Contains("has no " + ManifestReader.FileName) || p.Contains("no \"tasks\""))
        ?? plan.Problems.FirstOrDefault(p => p.Contains($"task {task.Id} "))
        ?? $"{ManifestReader.FileName} names no file for task {task.Id}";

    /// <summary>
    /// Writes the submission's files into a staging folder of this process and moves it into place in one rename (the
    /// previous grade, if any, moved aside first and then removed): a reader — or a rerun after kill -9 — sees the old
    /// set or the new one, never a part of either.
    /// </summary>
    private void Commit(SubmissionGrade grade)
    {
        var stage = Path.Combine(_out, StagingFolder, $"{RunStore.Safe(grade.Submission)}-{Environment.ProcessId}");
        if (Directory.Exists(stage)) Directory.Delete(stage, true);
        Directory.CreateDirectory(stage);
        File.WriteAllText(Path.Combine(stage, ResultsFile), GradescopeResults.Write(grade));
        File.WriteAllText(Path.Combine(stage, JUnitFile), GradeJUnit.Write(grade));
        if (_grading.FeedbackPdfs)
            lock (_writeLock) FeedbackPdf.Write(Path.Combine(stage, FeedbackFile), grade, _assignment, _grading.Reveal);
        // grade.json last: a staged folder without it is incomplete, and is never moved into place.
        File.WriteAllText(Path.Combine(stage, GradeFile), RecordJson.Serialize(grade));
        FaultInjection.At("grade:before-commit");
        var final = SubmissionFolder(grade.Submission);
        lock (_writeLock)
        {
            if (Directory.Exists(final))
            {
                var old = Path.Combine(_out, StagingFolder, $"{RunStore.Safe(grade.Submission)}.old-{Environment.ProcessId}");
                if (Directory.Exists(old)) Directory.Delete(old, true);
                Directory.Move(final, old);
                Directory.Move(stage, final);
                Directory.Delete(old, true);
            }
            else Directory.Move(stage, final);
        }
    }

    /// <summary>Staging folders of processes that are gone (killed mid-write) are removed.</summary>
    private void CleanStaging()
    {
        var staging = Path.Combine(_out, StagingFolder);
        if (!Directory.Exists(staging)) return;
        foreach (var d in Directory.GetDirectories(staging))
        {
            var tail = d[(d.LastIndexOf('-') + 1)..];
            if (int.TryParse(tail, out var pid) && pid != Environment.ProcessId && Alive(pid)) continue;
            try { Directory.Delete(d, true); } catch (IOException) { }
        }
    }

    private static bool Alive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>The grade book and class summary from every grade of this batch's submissions, each written atomically.</summary>
    private (string Book, string? Summary) WriteClassOutputs(IReadOnlyList<SubmissionGrade> grades, BatchStats stats)
    {
        var book = Path.Combine(_out, GradeBookFile);
        RecordJson.WriteAtomic(book, GradeBook.Write(grades));
        if (!_grading.FeedbackPdfs) return (book, null);
        var summary = Path.Combine(_out, SummaryFile);
        ClassSummaryPdf.Write(summary, _assignment, grades, stats);   // the document engine writes it atomically
        return (book, summary);
    }

    private static string Points(double v) => v.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
