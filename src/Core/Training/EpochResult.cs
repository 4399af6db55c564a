using System.Text.Json.Serialization;
using Harness.Core.Experiments;

namespace Harness.Core.Training;

/// <summary>The names under which the trainer and the objectives record an epoch's measurements.</summary>
public static class Metric
{
    public const string TrainLoss = "train_loss";
    public const string TrainAccuracy = "train_accuracy";
    public const string ValidationLoss = "validation_loss";
    public const string ValidationAccuracy = "validation_accuracy";
    public const string TestLoss = "test_loss";
    public const string TestAccuracy = "test_accuracy";
}

/// <summary>
/// One epoch's measurements by name (<see cref="Metric"/>): the training loss (mean over the epoch's batches, weighted by
/// their size), the training accuracy when the objective counts correct predictions, and whatever the objective's
/// evaluation measured. The typed properties read the classifier's names.
/// </summary>
public sealed record EpochResult(int Epoch, IReadOnlyDictionary<string, double> Metrics)
{
    public double this[string metric] => Metrics.TryGetValue(metric, out var v) ? v
        : throw new KeyNotFoundException($"epoch {Epoch} has no measurement '{metric}' (it has: {string.Join(", ", Metrics.Keys)})");

    [JsonIgnore] public double TrainLoss => this[Metric.TrainLoss];
    [JsonIgnore] public double TrainAccuracy => this[Metric.TrainAccuracy];
    [JsonIgnore] public double? ValidationLoss => Metrics.TryGetValue(Metric.ValidationLoss, out var v) ? v : null;
    [JsonIgnore] public double? ValidationAccuracy => Metrics.TryGetValue(Metric.ValidationAccuracy, out var v) ? v : null;
    [JsonIgnore] public double TestLoss => this[Metric.TestLoss];
    [JsonIgnore] public double TestAccuracy => this[Metric.TestAccuracy];

    public bool Equals(EpochResult? other) =>
        other is not null && Epoch == other.Epoch && Metrics.Count == other.Metrics.Count
        && Metrics.All(m => other.Metrics.TryGetValue(m.Key, out var v) && v.Equals(m.Value));

    public override int GetHashCode() => Epoch;
}

/// <summary>
/// All epochs of a run, the best one (by <see cref="SelectedBy"/>), and where its time went: <see cref="Seconds"/> is the
/// whole fit, <see cref="StepSeconds"/> the training steps alone (batch gathering, forward, backward, update) that
/// <see cref="ImagesPerSecond"/> is computed from, <see cref="EvalSeconds"/> the passes between epochs and
/// <see cref="CheckpointSeconds"/> the saving. <see cref="ResumedAfter"/>: the epochs that came from a checkpoint of an
/// interrupted run (0 when it trained from the start). <see cref="FirstLosses"/>: the first batch losses of epoch 1.
/// </summary>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int BestEpoch, string SelectedBy, double Seconds, double ImagesPerSecond,
    bool StoppedEarly = false, double StepSeconds = 0, int ResumedAfter = 0)
{
    public double EvalSeconds { get; init; }
    public double CheckpointSeconds { get; init; }
    public float[] FirstLosses { get; init; } = [];

    public EpochResult Best => Epochs[BestEpoch - 1];
    public EpochResult Last => Epochs[^1];
    /// <summary>A named measurement of every epoch, in order ("test_accuracy" → one value per epoch).</summary>
    public double[] Series(string metric) => Epochs.Select(e => e[metric]).ToArray();
}

/// <summary>The loss became NaN or infinite: training stops at once with the place it happened.</summary>
public sealed class TrainingDivergedException(string message) : HarnessException(message);
