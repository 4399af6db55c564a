using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Requirements;
using Harness.Core.Training;
using Harness.Tasks.Common;
using Harness.Tasks.Ex08.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tasks.Ex08;

/// <summary>Q1.2: the PyTorch MNIST-example network on Fashion-MNIST: parameters per layer, 10 epochs, best-epoch accuracy, curves.</summary>
public sealed class Q1_2Baseline : TaskDefinition
{
    public sealed record Settings_(Ex08TrainSettings Training, int ReproducibilityProbeBatches);

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.2";
    public override string Title => "The MNIST-example CNN on Fashion-MNIST";
    public override string SeedText => "Implement the network from the PyTorch MNIST example (two 3×3 convolutions with 32 and 64 channels, max-pooling, dropout 0.25, a fully-connected layer of 128 units, dropout 0.5, and the output layer). Report the number of parameters of every layer and in total. Train it for 10 epochs, report the accuracy of the best epoch and plot the loss and accuracy curves.";
    public override object Settings(Profile profile) => new Settings_(Ex08TrainSettings.For(profile), ReproducibilityProbeBatches: 5);

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Exactly("ex08.1.2.params-conv1", "conv1 has 320 parameters.", 0.25, "params_conv1", 320),
        Requirement.Exactly("ex08.1.2.params-conv2", "conv2 has 18,496 parameters.", 0.25, "params_conv2", 18496),
        Requirement.Exactly("ex08.1.2.params-fc1", "fc1 has 1,179,776 parameters.", 0.25, "params_fc1", 1179776),
        Requirement.Exactly("ex08.1.2.params-fc2", "fc2 has 1,290 parameters.", 0.25, "params_fc2", 1290),
        Requirement.Exactly("ex08.1.2.params-total", "The network has exactly 1,199,882 parameters.", 1, "params_total", 1199882),
        Requirement.Holds("ex08.1.2.loss-falls", "The training loss falls over training (last epoch below the first, none above it).", 1, "loss_falls"),
        Requirement.AtLeast("ex08.1.2.accuracy", "Test accuracy of the best epoch is at least 91.0% (full profile; smoke: ≥ 78% on 3,000 images and 2 epochs, far above the 10% of chance).",
            2, "best_test_accuracy", full: 0.91, smoke: 0.78),
        Requirement.Holds("ex08.1.2.reproducible", "The same seed gives the identical loss curve (two seeded trainings from scratch agree bit for bit).", 1, "reproducible"),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);

        ctx.Value("reproducible", ReproducibilityProbe(ctx, data, s) ? 1 : 0);

        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn();
        model.to(ctx.Device);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 });
        var result = ctx.Timed("training", () => Ex08Training.Train(ctx, model, data, s.Training, "Q1.2 baseline"));
        TrainingRecorder.Record(ctx, result, label: "Baseline CNN");
        var weights = ctx.Artifact("best_weights", "best.weights");
        model.save(weights);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"fc1 holds {1179776 / 1199882.0:P1} of all parameters: the 9,216 pooled activations are fully connected to 128 units."));
    }

    /// <summary>Trains two fresh models with the same seed for a few batches; their losses must agree bit for bit.</summary>
    private static bool ReproducibilityProbe(RunContext ctx, PreparedData data, Settings_ s)
    {
        float[] Losses()
        {
            manual_seed(ctx.Seed);
            using var model = new MnistExampleCnn();
            model.to(ctx.Device).train();
            using var opt = optim.Adadelta(model.parameters(), lr: s.Training.LearningRate);
            var losses = new List<float>();
            foreach (var idx in Harness.Core.Data.Batches.Shuffled(data.Train.Count, s.Training.BatchSize, ctx.Seed, 1).Take(s.ReproducibilityProbeBatches))
            {
                using var scope = NewDisposeScope();
                var x = data.Train.Images.index_select(0, tensor(idx)).to(ctx.Device);
                var y = data.Train.Labels.index_select(0, tensor(idx)).to(ctx.Device);
                opt.zero_grad();
                var loss = nn.functional.cross_entropy(model.call(x), y);
                loss.backward();
                opt.step();
                losses.Add(loss.item<float>());
            }
            return losses.ToArray();
        }
        var a = Losses();
        var b = Losses();
        return a.SequenceEqual(b);
    }
}
