using System.Text.Json.Serialization;
using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// "Trained to convergence", as this assignment defines it: batches of <see cref="BatchSize"/>, the validation loss
/// measured after every epoch, training stopped once it has not improved for <see cref="Patience"/> epochs (at most
/// <see cref="MaxEpochs"/>), and the weights of the epoch with the lowest validation loss kept.
/// </summary>
public sealed record Convergence(int MaxEpochs, int Patience, int BatchSize)
{
    public TrainingRecipe Recipe(string optimizer, double learningRate) =>
        new(MaxEpochs, BatchSize, new OptimizerSpec(optimizer, learningRate)) { Patience = Patience };

    /// <summary>A training's size for time estimates, at its most epochs (early stopping only shortens it).</summary>
    public double Work(long trainImages, long validationImages) => Harness.Core.Experiments.WorkVolume.Training(MaxEpochs, trainImages, validationImages);

    /// <summary>How a requirement text says it: "early stopping on validation loss, patience 3, at most 30 epochs".</summary>
    [JsonIgnore] public string Words => $"early stopping on validation loss with patience {Patience}, at most {MaxEpochs} epochs";
}

/// <summary>A CNN and how it is trained: its shape, the optimiser and its learning rate, and an L2 penalty on the weights added to the loss (0: none).</summary>
public sealed record CnnConfig(CnnShape Shape, string Optimizer, double LearningRate, double L2 = 0)
{
    /// <summary>The regularisation in words ("L2 1e-4, dropout 0.3", or "none").</summary>
    [JsonIgnore] public string Regularisation => string.Join(", ", new[]
    {
        L2 > 0 ? $"L2 {Show.Short(L2, 6)}" : null, Shape.Dropout > 0 ? $"dropout {Show.Short(Shape.Dropout, 2)}" : null, Shape.BatchNorm ? "batch norm" : null,
    }.Where(s => s is not null)) is { Length: > 0 } r ? r : "none";
}

/// <summary>Plain (unregularised) cross-entropy and accuracy of a trained network on each split, in eval mode.</summary>
public sealed record SplitScores(double TrainLoss, double TrainAccuracy, double ValidationLoss, double ValidationAccuracy, double TestLoss, double TestAccuracy)
{
    public static SplitScores Of(nn.Module<Tensor, Tensor> model, ImageDataSet train, ImageDataSet validation, ImageDataSet test, Device device)
    {
        var (trl, tra) = Evaluation.LossAndAccuracy(model, train, device);
        var (val, vaa) = Evaluation.LossAndAccuracy(model, validation, device);
        var (tel, tea) = Evaluation.LossAndAccuracy(model, test, device);
        return new SplitScores(trl, tra, val, vaa, tel, tea);
    }

    /// <summary>Records "{prefix}train_loss", "{prefix}train_accuracy", … (the final values of the kept weights).</summary>
    public void Record(RunContext ctx, string prefix)
    {
        ctx.Value(prefix + "train_loss", TrainLoss); ctx.Value(prefix + "train_accuracy", TrainAccuracy);
        ctx.Value(prefix + "validation_loss", ValidationLoss); ctx.Value(prefix + "validation_accuracy", ValidationAccuracy);
        ctx.Value(prefix + "test_loss", TestLoss); ctx.Value(prefix + "test_accuracy", TestAccuracy);
    }
}

/// <summary>A training to convergence and the scores of the weights it kept.</summary>
public sealed record Fitted(TrainingResult Result, SplitScores Scores)
{
    /// <summary>The epoch at which training stopped (the last one trained).</summary>
    public int StoppedAt => Result.Epochs.Count;
    /// <summary>Whether the validation loss stopped improving: the patience ran out (possibly exactly at the cap).</summary>
    public bool Converged(Convergence c) => Result.Epochs.Count - Result.BestEpoch >= c.Patience;
}

public static class ConvergenceTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> on <paramref name="train"/> to convergence (<see cref="Convergence"/>), with the L2
    /// penalty of <paramref name="l2"/> on every conv and fully connected weight, then scores the kept weights on every split.
    /// </summary>
    public static Fitted Fit(RunContext ctx, string label, ConvNet model, CnnConfig config, Convergence convergence,
        ImageDataSet train, ImageDataSet validation, ImageDataSet test)
    {
        model.to(ctx.Device);
        var objective = new ConvergenceObjective(model, train, validation, ctx.Device, config.L2, PenalisedWeights(model));
        return Fit(ctx, label, model, convergence.Recipe(config.Optimizer, config.LearningRate), objective, train, validation, test);
    }

    /// <summary>The weights an L2 penalty covers: those of the conv and fully connected layers (not biases, not batch norm).</summary>
    public static IReadOnlyList<TorchSharp.Modules.Parameter> PenalisedWeights(ConvNet model) =>
        model.named_parameters().Where(p => p.name.EndsWith(".weight", StringComparison.Ordinal) && !p.name.StartsWith("bn", StringComparison.Ordinal))
            .Select(p => p.parameter).ToList();

    /// <summary>Trains any classifier to convergence without a penalty (the MLPs of 3.4).</summary>
    public static Fitted Fit(RunContext ctx, string label, nn.Module<Tensor, Tensor> model, string optimizer, double learningRate, Convergence convergence,
        ImageDataSet train, ImageDataSet validation, ImageDataSet test)
    {
        model.to(ctx.Device);
        return Fit(ctx, label, model, convergence.Recipe(optimizer, learningRate), new ConvergenceObjective(model, train, validation, ctx.Device), train, validation, test);
    }

    private static Fitted Fit(RunContext ctx, string label, nn.Module<Tensor, Tensor> model, TrainingRecipe recipe, IObjective objective,
        ImageDataSet train, ImageDataSet validation, ImageDataSet test) =>
        new(ctx.Train(label, model, recipe, objective), SplitScores.Of(model, train, validation, test, ctx.Device));
}
