using TorchSharp.Modules;

namespace Harness.Core.Training;

/// <summary>
/// How one model is trained: epochs, batch size, the update rule, and what is kept at the end. Task settings expose
/// theirs as a recipe, so that every task trains through the same <see cref="Trainer"/>.
/// </summary>
/// <param name="Optimizer">builds the update rule over the trainable parameters</param>
public sealed record TrainingRecipe(int Epochs, int BatchSize, Func<IReadOnlyList<Parameter>, ITrainingOptimizer> Optimizer)
{
    public TrainingRecipe(int epochs, int batchSize, OptimizerSpec optimizer) : this(epochs, batchSize, optimizer.Create) { }

    /// <summary>Batch size of the evaluation passes.</summary>
    public int EvalBatchSize { get; init; } = 1000;
    /// <summary>Leave the best epoch's weights in the model at the end (otherwise the last epoch's stay).</summary>
    public bool KeepBest { get; init; } = true;
    /// <summary>Every step sees the whole training set, in order (full-batch gradient descent), instead of shuffled batches.</summary>
    public bool FullBatch { get; init; }
    /// <summary>Stop when the selected metric has not improved for this many epochs (early stopping); null trains every epoch.</summary>
    public int? Patience { get; init; }
    /// <summary>Train at most this many batches per epoch (quick probes and benchmarks); null trains them all.</summary>
    public int? MaxBatches { get; init; }
}
