using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>
/// One mini-batch as the trainer hands it to a step: which training rows, and where in the run it stands.
/// <see cref="Rows"/> is null for full-batch training (every row, in order).
/// </summary>
/// <param name="Number">0-based index of the batch within its epoch</param>
/// <param name="Global">0-based index of the batch within the whole run (seeds per-batch noise, e.g. corruptions)</param>
public sealed record Batch(long[]? Rows, int Size, int Epoch, int Number, long Global)
{
    /// <summary>The rows as an int64 index tensor (the caller's dispose scope owns it); null for the whole set.</summary>
    public Tensor? Index() => Rows is null ? null : tensor(Rows, dtype: ScalarType.Int64);
}

/// <summary>What one step computed: the scalar loss to minimise and, for classifiers, the number of correct predictions.</summary>
public readonly record struct StepOutput(Tensor Loss, Tensor? Correct = null);

/// <summary>
/// How the best epoch is chosen: the epoch whose <see cref="Metric"/> is highest (or lowest), the first on ties; or
/// simply the last epoch. <see cref="Description"/> is how records and reports say it ("validation accuracy").
/// </summary>
public sealed record Selection(string? Metric, bool HigherIsBetter, string Description)
{
    public static readonly Selection LastEpoch = new(null, true, "the last epoch");
    public static Selection Highest(string metric, string description) => new(metric, true, description);
    public static Selection Lowest(string metric, string description) => new(metric, false, description);

    /// <summary>The epoch's score, larger is better; the last epoch always wins when there is no metric.</summary>
    public double Score(EpochResult e) => Metric is null ? e.Epoch : HigherIsBetter ? e[Metric] : -e[Metric];
}

/// <summary>
/// What is trained and how it is measured. The trainer owns the loop; an objective says what one step computes on a
/// batch (<see cref="Step"/>), what is measured after each epoch (<see cref="Evaluate"/>: named values such as
/// "validation_accuracy"), and which epoch counts as best.
/// </summary>
public interface IObjective
{
    /// <summary>Rows of the training set (batches index into 0 … TrainCount − 1).</summary>
    int TrainCount { get; }
    /// <summary>The forward pass and loss of one batch, in training mode (the trainer does backward and the update).</summary>
    StepOutput Step(Batch batch);
    /// <summary>Values measured after an epoch (empty when nothing is measured between epochs).</summary>
    IReadOnlyDictionary<string, double> Evaluate();
    Selection Selection { get; }
    /// <summary>What a checkpoint must match besides the model and the recipe (e.g. the sizes of the data splits).</summary>
    string Fingerprint { get; }
}
