namespace Harness.Tasks.Hw4;

/// <summary>
/// How a Problem 1 network is trained: optimiser ("gd" = plain gradient descent, or "adam"), learning rate, epochs,
/// batch size (the whole training set = full-batch gradient descent), whether the coordinates are standardised
/// (by the training set's mean and standard deviation per coordinate) and the schedule ("constant" or "cosine", per step).
/// </summary>
public sealed record PointTrainSettings(string Optimizer, double LearningRate, int Epochs, int BatchSize, bool Standardise, string Schedule)
{
    /// <summary>One training's size for time estimates: the epochs over the pentagon training rows.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public double Work => WorkVolume.Training(Epochs, Pentagons.TrainRows, Pentagons.Rows - Pentagons.TrainRows);
}

/// <summary>One training run of a point classifier: accuracies, final loss, and the loss after each epoch.</summary>
public sealed record PointTrainResult(double TrainAccuracy, double TestAccuracy, double FinalLoss, double[] EpochLoss, double Seconds);

/// <summary>Training and evaluation of 2-input, 1-logit classifiers on the pentagon points with BCE-with-logits.</summary>
public static class PointTraining
{
    /// <summary>The model's input for coordinates (float64, file units): float32, standardised when asked.</summary>
    public sealed class InputMap(PointSet train, bool standardise)
    {
        private readonly Tensor _mean = standardise ? train.X.mean(new long[] { 0 }, keepdim: true).DetachFromDisposeScope() : zeros(1, 2, float64);
        private readonly Tensor _std = standardise ? train.X.std(0, keepdim: true).DetachFromDisposeScope() : ones(1, 2, float64);
        public Tensor Apply(Tensor x) => x.sub(_mean).div(_std).to(float32);
    }

    /// <summary>BCE-with-logits on mapped coordinates; nothing is measured between epochs, the last epoch is kept.</summary>
    private sealed class PointObjective(nn.Module<Tensor, Tensor> model, Tensor x, Tensor y) : IObjective
    {
        public int TrainCount => (int)x.shape[0];

        public StepOutput Step(Batch batch)
        {
            var index = batch.Index();
            var (xb, yb) = index is null ? (x, y) : (x.index_select(0, index), y.index_select(0, index));
            return new StepOutput(nn.functional.binary_cross_entropy_with_logits(model.call(xb), yb));
        }

        public IReadOnlyDictionary<string, double> Evaluate() => new Dictionary<string, double>();
        public Selection Selection => Selection.LastEpoch;
        public string Fingerprint => $"points|{x.shape[0]}";
    }

    /// <summary>Trains through the run's trainer (checkpointed under <paramref name="label"/>), batches shuffled from <paramref name="seed"/>.</summary>
    public static PointTrainResult Train(RunContext ctx, string label, nn.Module<Tensor, Tensor> model, PentagonData data, PointTrainSettings s, int seed)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var map = new InputMap(data.Train, s.Standardise);
        using var x = map.Apply(data.Train.X);
        using var y = data.Train.Y.to(float32);
        int n = data.Train.Count;
        bool fullBatch = s.BatchSize >= n;
        int totalSteps = s.Epochs * (fullBatch ? 1 : Batches.CountOf(n, s.BatchSize));
        if (s.Schedule is not ("cosine" or "constant")) throw new ArgumentException($"unknown schedule {s.Schedule}");
        // Cosine annealing to 0 over all steps (as CosineAnnealingLR with T_max = steps), or a constant rate.
        double Rate(int t) => s.Schedule == "cosine" ? 0.5 * s.LearningRate * (1 + Math.Cos(Math.PI * t / totalSteps)) : s.LearningRate;
        var recipe = new TrainingRecipe(s.Epochs, s.BatchSize, ps => new PointOptimizer(ps, s.Optimizer, Rate)) { FullBatch = fullBatch };
        var r = ctx.Train(label, model, recipe, new PointObjective(model, x, y), seed);
        model.eval();
        return new PointTrainResult(Accuracy(model, map, data.Train), Accuracy(model, map, data.Test), r.Last.TrainLoss, r.Series(Metric.TrainLoss), clock.Elapsed.TotalSeconds);
    }

    /// <summary>Predicted labels (0/1) of coordinates in file units.</summary>
    public static double[] Predict(nn.Module<Tensor, Tensor> model, InputMap map, Tensor coordinates)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        using Scalar zero = 0.0; // held, not a temporary (see PointOptimizer)
        return model.call(map.Apply(coordinates)).ge(zero).to(float64).flatten().data<double>().ToArray();
    }

    public static double Accuracy(nn.Module<Tensor, Tensor> model, InputMap map, PointSet set)
    {
        var predicted = Predict(model, map, set.X);
        var truth = set.Y.flatten().data<double>().ToArray();
        return (double)predicted.Zip(truth).Count(p => p.First == p.Second) / truth.Length;
    }
}
