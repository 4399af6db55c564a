using System.Diagnostics;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Experiments;
using Harness.Core.Grading.ModelFiles;
using Harness.Core.Metrics;
using Harness.Core.Records;
using Harness.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Grading;

/// <summary>
/// Measures one submission's model files — the only place a student's bytes are read. For each file: refuse it above
/// the size limit, recognise its format and check its structure, count its parameters per layer from the declared
/// tensors, compare names and shapes with the reference architecture, read and load it strictly, check the weights
/// are finite, and hand the model to the task's <see cref="IGradedTask.Measure"/>. Whatever goes wrong is recorded as
/// the reason the rest was not measured; it never stops the submission or the batch. Runs in a worker process when
/// grading from the CLI (so that a time or memory budget can stop it), or in process.
/// </summary>
public sealed class SubmissionMeasurer
{
    /// <summary>Check (value) names recorded for every task: the file loads strictly, and its weights are finite.</summary>
    public const string LoadsCheck = "model_loads", FiniteCheck = "weights_finite";

    private readonly HarnessOptions _options;
    private readonly GradingOptions _grading;
    private readonly IAssignment _assignment;
    private readonly DataSets _data;
    private readonly Device _device;

    public SubmissionMeasurer(HarnessOptions options, GradingOptions grading, IAssignment assignment, IProgressSink progress)
    {
        _options = options; _grading = grading; _assignment = assignment;
        _device = RunEnvironment.ResolveDevice(options.Device);
        RunEnvironment.Seed(options.Seed, options.Threads);
        _data = new DataSets(options, progress);
    }

    public SubmissionMeasurement Measure(MeasureRequest request)
    {
        ProcessMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        var deadline = DateTime.UtcNow.AddSeconds(request.TimeLimitSeconds);
        var results = new List<TaskMeasurement>();
        foreach (var file in request.Files)
        {
            var m = new TaskMeasurement { TaskId = file.TaskId, File = file.Display };
            var started = clock.Elapsed.TotalSeconds;
            MeasureTask(file, m, deadline, request.TimeLimitSeconds);
            m.Seconds = clock.Elapsed.TotalSeconds - started;
            results.Add(m);
        }
        return new SubmissionMeasurement(request.Submission, results, clock.Elapsed.TotalSeconds, ProcessMemory.Peak());
    }

    private void MeasureTask(TaskFile file, TaskMeasurement m, DateTime deadline, double limit)
    {
        var task = _assignment.Tasks.FirstOrDefault(t => t.Id == file.TaskId) as IGradedTask
            ?? throw new InvalidOperationException($"{_assignment.Id} {file.TaskId} is not a graded task");
        using var scope = NewDisposeScope();
        using var reference = task.BuildReference();
        try
        {
            var ctx = new SubmissionContext(_options, _grading.Profile, _device, _data, deadline, limit, m);
            ctx.CheckTime("before reading the file");
            var model = ModelFile.Open(file.Path, file.Display, _grading.MaxModelBytes);
            m.Format = model.Format;
            RecordParameterCounts(m, reference, model.Entries);
            var expected = StrictLoader.Expected(reference);
            var differences = StrictLoader.Differences(expected, model.Entries);
            m.Check(LoadsCheck, differences.Count == 0, differences.Count == 0
                ? $"all {expected.Count} tensors of the reference architecture are present with their shapes ({model.Format})"
                : $"{file.Display} does not match the reference architecture: {string.Join("; ", differences)}");
            if (differences.Count > 0) { m.NotMeasured = "the model does not load into the reference architecture"; return; }

            var tensors = model.ReadTensors();
            try { m.Notes.AddRange(StrictLoader.Load(reference, tensors)); }
            finally { foreach (var t in tensors.Values) t.Dispose(); }
            var nonFinite = StrictLoader.NonFinite(reference);
            m.Check(FiniteCheck, nonFinite.Count == 0, nonFinite.Count == 0 ? "every weight is a finite number" : string.Join("; ", nonFinite));
            if (nonFinite.Count > 0) { m.NotMeasured = $"its weights are not all finite numbers ({nonFinite[0]})"; return; }

            reference.to(_device).eval();
            task.Measure(ctx, reference);
        }
        catch (ModelFileException e)
        {
            if (!m.Checks.ContainsKey(LoadsCheck)) m.Check(LoadsCheck, false, e.Message);
            m.NotMeasured = e.Message;
        }
        catch (BudgetExceededException e) { m.NotMeasured = e.Message; }
        catch (HarnessException) { throw; }   // the grading machine's problem (data not found): stops the batch, grades no one
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A model that loads but breaks the forward pass (outputs of the wrong shape, …): said, never thrown past the submission.
            m.NotMeasured = $"the grader could not measure it: {e.Message.Split('\n')[0].TrimEnd('.')}";
        }
    }

    /// <summary>
    /// "params_&lt;layer&gt;" for each layer of the reference and "params_total", counted from the file's declared tensors
    /// (so a wrong layer size is measured even when the file cannot be loaded); buffers (BatchNorm statistics) are not parameters.
    /// </summary>
    private static void RecordParameterCounts(TaskMeasurement m, nn.Module reference, IReadOnlyList<TensorEntry> entries)
    {
        var buffers = reference.named_buffers().Select(b => b.name).ToHashSet(StringComparer.Ordinal);
        bool IsParameter(TensorEntry e) => !buffers.Contains(e.Name) && !e.Name.EndsWith(".running_mean", StringComparison.Ordinal)
            && !e.Name.EndsWith(".running_var", StringComparison.Ordinal) && !e.Name.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
        var parameters = entries.Where(IsParameter).ToList();
        foreach (var (layer, _) in ModelSummary.ParameterCounts(reference))
            m.Values[$"params_{layer}"] = parameters.Where(e => e.Name.StartsWith(layer + ".", StringComparison.Ordinal)).Sum(e => e.Elements);
        m.Values["params_total"] = parameters.Sum(e => e.Elements);
    }
}
