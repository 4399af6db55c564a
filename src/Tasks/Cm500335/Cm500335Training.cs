using System.Diagnostics;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Adam on mini-batches for the MLPs and CNNs of tasks 3 and 4; the last epoch's weights are kept (the brief reports the
/// final model). The brief's batch 50, learning rate 0.001 and 10 epochs are an "e.g." ("appropriate learning
/// parameters"): with <see cref="CosineDecay"/> the rate starts at <see cref="LearningRate"/> and is annealed to 0 over
/// the epochs, so that the final model is not a snapshot of the noisy steps of a fixed rate (issue 20: the fixed rate
/// ended 3.1 at 97.42–97.85% over three seeds).
/// </summary>
public sealed record AdamSettings(int Epochs, int BatchSize, double LearningRate, bool CosineDecay = false)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public TrainingRecipe Recipe => new(Epochs, BatchSize, new OptimizerSpec("Adam", LearningRate, CosineEpochs: CosineDecay ? Epochs : null)) { KeepBest = false };

    /// <summary>Why the rate is annealed, for the requirement texts of the tasks that anneal it.</summary>
    public const string AnnealedNote = "Adam's rate annealed to 0 by a cosine schedule; the brief's batch 50, rate 0.001 and 10 epochs are an \"e.g.\"";

    /// <summary>One training's size for time estimates: the epochs over these MNIST sizes, the test set measured after each.</summary>
    public double Work(MnistSizes data) => WorkVolume.Training(Epochs, data.TrainCount, data.TestCount);
}

/// <summary>One trained model's line in the comparison tables of 3.2 and 4.2.</summary>
public sealed record ModelSummaryRow(string Name, string Kind, string Shape, long Parameters, double TestAccuracy, double TrainSeconds, double TestSeconds);

public static class Cm500335Training
{
    /// <summary>
    /// Trains without a validation split and keeps the last epoch's weights (the brief reports the final model);
    /// records curves and tables under <paramref name="prefix"/>, and "{prefix}test_seconds" (one pass over the test set).
    /// </summary>
    public static (ModelSummaryRow Row, TrainingResult Result) TrainAndRecord(RunContext ctx, nn.Module<Tensor, Tensor> model, TrainTest data, AdamSettings s,
        string prefix, string label, string kind, string shape, bool figures = true)
    {
        model.to(ctx.Device);
        if (model is ITraceable t) TrainingRecorder.RecordArchitecture(ctx, t, new long[] { 1, 28, 28 }, prefix, label);
        var result = ctx.Train(label, model, s.Recipe, new ClassifierObjective(model, data.Train, null, data.Test, ctx.Device));
        TrainingRecorder.Record(ctx, result, prefix, label, figures);
        var clock = Stopwatch.StartNew();
        Evaluation.LossAndAccuracy(model, data.Test, ctx.Device);
        var testSeconds = clock.Elapsed.TotalSeconds;
        ctx.TimeSection(prefix + "test_seconds", testSeconds);
        return (new ModelSummaryRow(label, kind, shape, ModelSummary.TotalParameters(model), result.Last.TestAccuracy, result.Seconds, testSeconds), result);
    }

    /// <summary>Every epoch has finite train and test accuracies (what the curves plot).</summary>
    public static bool CurvesOk(TrainingResult r, int epochs) =>
        r.Epochs.Count == epochs && r.Epochs.All(e => double.IsFinite(e.TrainAccuracy) && double.IsFinite(e.TestAccuracy));

    /// <summary>What <see cref="CurvesOk"/> found.</summary>
    public static string CurvesFinding(TrainingResult r, int epochs) => CurvesOk(r, epochs)
        ? $"train and test accuracy recorded and plotted for all {epochs} epochs"
        : $"{r.Epochs.Count} of {epochs} epochs recorded; non-finite at epoch(s) {string.Join(", ", r.Epochs.Where(e => !double.IsFinite(e.TrainAccuracy) || !double.IsFinite(e.TestAccuracy)).Select(e => e.Epoch))}";

    /// <summary>A row rebuilt from another task's record (values, and the timing sections kept outside them).</summary>
    public static ModelSummaryRow FromRecord(RunRecord r, string prefix, string name, string kind, string shape) => new(
        name, kind, shape, (long)r.Value(prefix + "params_total"), r.Value(prefix + "final_test_accuracy"),
        r.Timing.Sections.GetValueOrDefault(prefix + "train_seconds"), r.Timing.Sections.GetValueOrDefault(prefix + "test_seconds"));
}
