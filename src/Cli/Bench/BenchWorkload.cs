using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Tasks.Cm500335;
using Harness.Tasks.Cm500335.Models;
using Harness.Tasks.Ex08;
using Harness.Tasks.Ex08.Models;
using Harness.Tasks.Hw4;
using Harness.Tasks.Hw4.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Bench;

/// <summary>
/// A training the bench times both ways: a task's model, data set, split sizes, epochs, batch and optimiser, read from
/// the task's own settings at a profile, so that the harness and the bare loop do exactly the task's work.
/// </summary>
public sealed record BenchWorkload(string Name, string Assignment, string Task, Func<nn.Module<Tensor, Tensor>> Model, DataSetInfo Data,
    int Train, int Validation, int Test, int Epochs, int BatchSize, string Optimizer, double LearningRate, double? StepDecay)
{
    public static readonly string[] Names = { "ex08-1.2", "hw4-2b", "cm500335-4.1" };

    public static BenchWorkload Get(string name, Profile profile)
    {
        switch (name)
        {
            case "ex08-1.2":
            {
                var s = new Q1_2Baseline().Settings(profile).Training;
                return new(name, "ex08", "1.2", () => new MnistExampleCnn(), DataSetCatalog.FashionMnist, s.TrainImages, s.ValidationImages, s.TestImages,
                    s.Epochs, s.BatchSize, s.Optimizer, s.LearningRate, s.LrDecayPerEpoch);
            }
            case "hw4-2b":
            {
                var s = new Q2bCnnTraining().Settings(profile);
                return new(name, "hw4", "2b", () => new SmallFashionCnn(s.Network), DataSetCatalog.FashionMnist, s.Training.TrainImages, s.Training.ValidationImages,
                    s.Training.TestImages, s.Training.Epochs, s.Training.BatchSize, s.Training.Optimizer, s.Training.LearningRate, null);
            }
            case "cm500335-4.1":
            {
                var s = new T4_1Cnn().Settings(profile);
                int train = s.Data.Train ?? DataSetCatalog.Mnist.TrainImages.Shape[0], test = s.Data.Test ?? DataSetCatalog.Mnist.TestImages.Shape[0];
                return new(name, "cm500335", "4.1", () => T4_1Cnn.Build(s.Net), DataSetCatalog.Mnist, train, 0, test,
                    s.Training.Epochs, s.Training.BatchSize, "Adam", s.Training.LearningRate, null);
            }
            default:
                throw new ArgumentException($"unknown workload '{name}'; known: {string.Join(", ", Names)}");
        }
    }

    /// <summary>The workload's optimiser as a plain TorchSharp optimiser (the bare loop's).</summary>
    public optim.Optimizer CreateOptimizer(IEnumerable<Parameter> ps) => Optimizer.ToLowerInvariant() switch
    {
        "adam" => optim.Adam(ps, LearningRate),
        "adadelta" => optim.Adadelta(ps, LearningRate),
        _ => throw new ArgumentException($"the bench has no bare version of {Optimizer}"),
    };

    public Func<optim.Optimizer, optim.lr_scheduler.LRScheduler>? Schedule =>
        StepDecay is { } gamma ? opt => optim.lr_scheduler.StepLR(opt, 1, gamma) : null;
}
