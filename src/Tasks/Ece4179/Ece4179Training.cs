using System.Text.Json.Serialization;

namespace Harness.Tasks.Ece4179;

/// <summary>How a network of this assignment is trained: epochs, batch, optimiser, learning rate and weight decay.</summary>
public sealed record TrainSettings(int Epochs, int BatchSize, string Optimizer, double LearningRate, double WeightDecay)
{
    [JsonIgnore] public TrainingRecipe Recipe => new(Epochs, BatchSize, new OptimizerSpec(Optimizer, LearningRate, WeightDecay));
    /// <summary>A training's size for time estimates: every epoch over the training images, the validation images measured after each, the test images once.</summary>
    public double Work(SplitSizes split) => Harness.Core.Experiments.WorkVolume.Training(Epochs, 10L * split.TrainPerClass, 10L * split.ValidationPerClass)
        + Harness.Core.Experiments.WorkVolume.Evaluation(10L * split.TestPerClass);

    /// <summary>The size of a run in words, for requirement texts ("800 training images and 3 epochs").</summary>
    public string Scale(SplitSizes split) => $"{Show.Count(split.Train)} training images and {Epochs} epochs";
}

/// <summary>A trained network of a task: the model (best-epoch weights, on the run's device) and its training.</summary>
public sealed record Trained(nn.Module<Tensor, Tensor> Model, TrainingResult Result, int[,] ValidationConfusion) : IDisposable
{
    public void Dispose() => Model.Dispose();
}

/// <summary>
/// Training and evaluating the networks of this assignment: every network is trained on the training part with the
/// validation and test parts evaluated after every epoch, and the epoch with the highest validation accuracy (the first
/// on ties) is the model kept, saved, and read by the later tasks.
/// </summary>
public static class Ece4179Training
{
    public const string WeightsArtifact = "best_weights";
    public static readonly long[] InputShape = { Stl10Catalog.Channels, Stl10Catalog.Side, Stl10Catalog.Side };

    /// <summary>
    /// Builds a network from the run's seed, records its architecture, trains it, records the curves, tables and values
    /// (<see cref="TrainingRecorder"/>), a hyperparameter table, the per-class validation confusion of the kept model
    /// (series "validation_confusion", row-major), and checks that the saved weights are those of the selected epoch.
    /// </summary>
    public static Trained TrainAndRecord(RunContext ctx, string label, Func<nn.Module<Tensor, Tensor>> build, TrainSettings s, Stl10Parts d,
        string input, string augmentation = "none", Func<Tensor, Batch, Tensor>? augment = null)
    {
        manual_seed(ctx.Seed);
        var model = build();
        model.to(ctx.Device);
        TrainingRecorder.RecordArchitecture(ctx, (ITraceable)model, InputShape, label: label);
        var result = ctx.Timed("training", () => ctx.Train(label, model, s.Recipe, new ClassifierObjective(model, d.Train, d.Validation, d.Test, ctx.Device, augment)));
        TrainingRecorder.Record(ctx, result, label: label);
        ctx.TimeSection("seconds_per_epoch", result.Seconds / result.Epochs.Count);
        var path = ctx.Artifact(WeightsArtifact, "best.weights");
        model.save(path);

        ctx.Table("hyperparameters", $"{label}: hyperparameters.", new[] { "hyperparameter", "value" }, new[]
        {
            Row("optimiser", s.Optimizer), Row("learning rate", Show.Short(s.LearningRate, 6)), Row("weight decay", Show.Short(s.WeightDecay, 6)),
            Row("batch size", Show.Count(s.BatchSize)), Row("epochs", Show.Count(s.Epochs)), Row("loss", "cross-entropy"),
            Row("input", input), Row("augmentation", augmentation),
            Row("initialisation", $"PyTorch's default, torch.manual_seed({ctx.Seed})"),
            Row("model kept", $"the epoch with the highest {result.SelectedBy} (first on ties): epoch {result.BestEpoch}"),
        });
        CheckCurves(ctx, result, s.Epochs);
        CheckSelection(ctx, build, path, result, d);
        var confusion = Confusion(model, d.Validation, ctx.Device);
        ctx.Series("validation_confusion", Classification.ToRows(confusion).SelectMany(r => r));
        return new Trained(model, result, confusion);
    }

    /// <summary>Checks the traced output shape of the named layers (one sample, "C×H×W") against the seed's.</summary>
    public static void CheckShapes(RunContext ctx, ITraceable model, IReadOnlyList<(string Layer, string Shape)> expected)
    {
        var rows = ModelSummary.Architecture(model, InputShape).ToDictionary(r => r.Layer, r => r.OutputShape);
        var found = new Findings();
        foreach (var (layer, shape) in expected)
            found.Expect(rows.TryGetValue(layer, out var got) && got == shape, () => $"{layer} gives {rows.GetValueOrDefault(layer) ?? "no output"}, the seed {shape}");
        ctx.Check("shapes_ok", found, "output shapes " + string.Join(", ", expected.Select(e => $"{e.Layer} {e.Shape}")) + " for a 3×96×96 input");
    }

    private static IReadOnlyList<string> Row(string name, string value) => new[] { name, value };

    /// <summary>Every epoch has finite training and validation losses and training, validation and test accuracies (what the curves plot).</summary>
    private static void CheckCurves(RunContext ctx, TrainingResult r, int epochs)
    {
        var metrics = new[] { Metric.TrainLoss, Metric.ValidationLoss, Metric.TrainAccuracy, Metric.ValidationAccuracy, Metric.TestAccuracy };
        epochs = ctx.EpochsRun(epochs);
        var found = new Findings().Expect(r.Epochs.Count == epochs, () => $"{r.Epochs.Count} of {epochs} epochs recorded");
        foreach (var e in r.Epochs)
            foreach (var m in metrics)
                found.Expect(e.Metrics.TryGetValue(m, out var v) && double.IsFinite(v), () => $"epoch {e.Epoch} has no finite {m.Replace('_', ' ')}");
        ctx.Check("curves_ok", found, $"training and validation loss and training, validation and test accuracy recorded for all {r.Epochs.Count} epochs and plotted");
    }

    /// <summary>
    /// The kept model is the one validation picks: the best epoch is the first with the highest validation accuracy,
    /// and the saved weights, loaded into a fresh network, give exactly that epoch's validation accuracy.
    /// </summary>
    private static void CheckSelection(RunContext ctx, Func<nn.Module<Tensor, Tensor>> build, string path, TrainingResult r, Stl10Parts d)
    {
        var val = r.Series(Metric.ValidationAccuracy);
        int argmax = Array.IndexOf(val, val.Max()) + 1;
        using var fresh = build();
        fresh.load(path);
        fresh.to(ctx.Device);
        var (_, reloaded) = Evaluation.LossAndAccuracy(fresh, d.Validation, ctx.Device);
        var found = new Findings()
            .Expect(r.BestEpoch == argmax, () => $"the kept epoch is {r.BestEpoch}, but epoch {argmax} has the highest validation accuracy ({Show.Percent(val.Max())})")
            .Expect(reloaded == r.Best.ValidationAccuracy, () => $"the saved weights give {Show.Percent(reloaded)} validation accuracy, epoch {r.BestEpoch} recorded {Show.Percent(r.Best.ValidationAccuracy!.Value)}");
        ctx.Value("reloaded_validation_accuracy", reloaded);
        ctx.Check("selected_by_validation", found, $"epoch {r.BestEpoch} of {r.Epochs.Count} has the highest validation accuracy ({Show.Percent(val.Max())}); the saved weights, reloaded, give exactly that");
    }

    /// <summary>Loads the saved weights of a task's kept model into <paramref name="model"/>, on the run's device, in eval mode.</summary>
    public static T Load<T>(RunContext ctx, T model, RunRecord record, string folder) where T : nn.Module<Tensor, Tensor>
    {
        model.load(Path.Combine(folder, record.Artifacts[WeightsArtifact]));
        model.to(ctx.Device).eval();
        return model;
    }

    /// <summary>Softmax probabilities of every sample (rows of the data set in order), computed in batches in eval mode.</summary>
    public static float[][] Probabilities(nn.Module<Tensor, Tensor> model, ImageDataSet data, Device device, int batchSize = Evaluation.CpuBatchSize)
    {
        var result = new float[data.Count][];
        bool training = model.training;
        model.eval();
        using (no_grad())
            foreach (var rows in Batches.Sequential(data.Count, batchSize))
            {
                using var scope = NewDisposeScope();
                using var idx = tensor(rows, dtype: ScalarType.Int64);
                var p = nn.functional.softmax(model.call(data.Gather(idx).to(device)), 1).cpu();
                var flat = p.data<float>().ToArray();
                int k = (int)p.shape[1];
                for (int i = 0; i < rows.Length; i++) result[rows[i]] = flat.AsSpan(i * k, k).ToArray();
            }
        model.train(training);
        return result;
    }

    /// <summary>Index of the highest probability (the first on ties, as argmax).</summary>
    public static int ArgMax(float[] p)
    {
        int best = 0;
        for (int i = 1; i < p.Length; i++) if (p[i] > p[best]) best = i;
        return best;
    }

    /// <summary>The confusion matrix of a model on a data set (rows: true class, columns: predicted).</summary>
    public static int[,] Confusion(nn.Module<Tensor, Tensor> model, ImageDataSet data, Device device) =>
        Classification.ConfusionMatrix(Evaluation.Predict(model, data, device), data.LabelArray(), data.NumClasses);
}
