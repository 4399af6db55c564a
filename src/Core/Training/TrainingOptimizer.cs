using Harness.Core.Experiments;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>
/// The update rule a trainer drives: cleared before each step, applied after its backward pass, told when an epoch
/// ends (epoch-level schedules), and saved into / restored from a checkpoint folder so that a run resumes bit for bit.
/// </summary>
public interface ITrainingOptimizer : IDisposable
{
    void ZeroGrad();
    /// <summary>Applies the update; called after the batch's dispose scope has closed.</summary>
    void Step();
    void EndEpoch();
    void Save(string folder);
    /// <summary>Loads the state saved after <paramref name="epochsDone"/> epochs.</summary>
    void Restore(string folder, int epochsDone);
}

/// <summary>A TorchSharp optimiser with an optional learning-rate schedule stepped once per epoch.</summary>
public sealed class TorchOptimizer : ITrainingOptimizer
{
    private const string StateFile = "optimizer.bin";
    private readonly optim.Optimizer _optimizer;
    private readonly optim.lr_scheduler.LRScheduler? _schedule;

    public TorchOptimizer(optim.Optimizer optimizer, Func<optim.Optimizer, optim.lr_scheduler.LRScheduler>? schedule = null)
    {
        if (optimizer is not OptimizerHelper)
            throw new HarnessException($"{optimizer.GetType().Name} cannot save its state, so a run could not resume; use one of TorchSharp's built-in optimisers.");
        _optimizer = optimizer;
        _schedule = schedule?.Invoke(optimizer);
    }

    public void ZeroGrad() => _optimizer.zero_grad();

    public void Step()
    {
        using var scope = NewDisposeScope();
        _optimizer.step();
    }

    public void EndEpoch() => _schedule?.step();

    public void Save(string folder) => ((OptimizerHelper)_optimizer).save_state_dict(Path.Combine(folder, StateFile));

    public void Restore(string folder, int epochsDone)
    {
        // The schedule is replayed before the optimiser state is loaded, so that both end at the saved epoch.
        for (int i = 0; i < epochsDone; i++) _schedule?.step();
        ((OptimizerHelper)_optimizer).load_state_dict(Path.Combine(folder, StateFile));
    }

    public void Dispose() => _optimizer.Dispose();
}

/// <summary>
/// How a recipe names its update rule: the optimiser ("Adam", "AdamW", "Adadelta", "SGD"), its learning rate and weight
/// decay, and an epoch-level schedule: <c>StepDecay</c> multiplies the rate by that factor after every epoch (StepLR
/// with step 1), <c>CosineEpochs</c> anneals it to 0 over that many epochs.
/// </summary>
public sealed record OptimizerSpec(string Name, double LearningRate, double WeightDecay = 0, double? StepDecay = null, int? CosineEpochs = null)
{
    public ITrainingOptimizer Create(IReadOnlyList<Parameter> parameters)
    {
        optim.Optimizer o = Name.ToLowerInvariant() switch
        {
            "adam" => optim.Adam(parameters, LearningRate, weight_decay: WeightDecay),
            "adamw" => optim.AdamW(parameters, LearningRate, weight_decay: WeightDecay),
            "adadelta" => optim.Adadelta(parameters, LearningRate, weight_decay: WeightDecay),
            "sgd" => optim.SGD(parameters, LearningRate, weight_decay: WeightDecay),
            _ => throw new HarnessException($"Unknown optimiser '{Name}'; known: Adam, AdamW, Adadelta, SGD."),
        };
        Func<optim.Optimizer, optim.lr_scheduler.LRScheduler>? schedule =
            StepDecay is { } gamma ? opt => optim.lr_scheduler.StepLR(opt, 1, gamma)
            : CosineEpochs is { } t ? opt => optim.lr_scheduler.CosineAnnealingLR(opt, t)
            : null;
        return new TorchOptimizer(o, schedule);
    }
}
