using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Metrics;
using Harness.Core.Requirements;
using Harness.Tasks.Hw4.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 3(d): the structure of 3(c) improved: the encoder starts from the autoencoder's weights but is fine-tuned, the
/// single layer becomes a hidden layer of 256 units with dropout 0.5 before the output, and the training images are
/// augmented (shifts, mirroring).
/// </summary>
public sealed class Q3dImprovedEncoder : TaskDefinition
{
    public sealed record Settings_(Hw4TrainSettings Training, int HeadHidden, double Dropout, bool FineTuneEncoder, int MaxShift);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "3d";
    public override string Title => "Improving the autoencoder-based classifier";
    public override string SeedText => "Improve the structure of your classifier from 3(c) and report the test accuracy.";
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "3a", "3c", "2b" };
    public override object Settings(Profile profile) => new Settings_(Hw4TrainSettings.For(profile, fullEpochs: 30), HeadHidden: 256, Dropout: 0.5, FineTuneEncoder: true, MaxShift: 2);

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        Requirement.Holds("hw4.3d.changes", "The changes to 3(c)'s structure are stated: the encoder is fine-tuned and the head has a hidden layer with dropout.", 1, "changes_stated"),
        Requirement.AtLeast("hw4.3d.accuracy", "Test accuracy ≥ 89.0% (full; the seed: 88.53%; smoke: ≥ 50% after 2 epochs on 1,000 augmented images, chance is 10%).", 3,
            "best_test_accuracy", full: 0.89, smoke: 0.50),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        var (a, folder) = ctx.Dependency("3a");
        var (b, _) = ctx.Dependency("2b");
        var (c, _) = ctx.Dependency("3c");
        var data = UnitRangeData.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        using var autoencoder = new ConvAutoencoder();
        autoencoder.load(Path.Combine(folder, a.Artifacts[Q3aAutoencoder.WeightsArtifact]));
        manual_seed(ctx.Seed);
        using var model = new EncoderClassifier(autoencoder, s.HeadHidden, s.Dropout);
        if (!s.FineTuneEncoder) Harness.Core.Training.ModelState.FreezeAllExcept(model, "head");
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "Fine-tuned encoder + MLP head");
        var augment = new Augmentation(ctx.Seed, s.MaxShift, background: 0f);
        var result = ctx.Timed("training", () => Hw4Training.Train(ctx, model, data, s.Training, "3d improved", augment.Apply));
        TrainingRecorder.Record(ctx, result, label: "Fine-tuned encoder + MLP head");
        ctx.Value("changes_stated", s.FineTuneEncoder && s.HeadHidden > 0 && s.Dropout > 0 ? 1 : 0);
        long trainable = ModelSummary.TrainableParameters(model);
        ctx.Value("trainable_params", trainable);

        ctx.Table("changes", "3(d): what changed against 3(c).", new[] { "aspect", "3(c)", "3(d)" }, new IReadOnlyList<string>[]
        {
            new[] { "encoder", "frozen (autoencoder weights)", s.FineTuneEncoder ? "initialised from the autoencoder, fine-tuned" : "frozen" },
            new[] { "head", "linear 64 → 10", $"linear 64 → {s.HeadHidden}, ReLU, dropout {s.Dropout}, linear {s.HeadHidden} → 10" },
            new[] { "augmentation", "none", $"shifts up to ±{s.MaxShift} px, left–right mirroring" },
            new[] { "epochs", c.Settings.GetValueOrDefault("training.epochs", "?"), s.Training.Epochs.ToString(CultureInfo.InvariantCulture) },
        });
        Q3cFrozenEncoder.Compare(ctx, new[]
        {
            ("small CNN, fully supervised (2b)", b.Value("params_total"), b.Value("params_total"), b.Value("best_test_accuracy")),
            ("frozen encoder + linear layer (3c)", c.Value("params_total"), c.Value("trainable_params"), c.Value("best_test_accuracy")),
            ("fine-tuned encoder + MLP head (3d)", (double)ModelSummary.TotalParameters(model), (double)trainable, result.Best.TestAccuracy),
        }, "3(d)");
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Fine-tuning the encoder with a hidden layer and dropout raises the test accuracy from {100 * c.Value("best_test_accuracy"):0.00}% (3c) to {100 * result.Best.TestAccuracy:0.00}%; the supervised small CNN (2b) reached {100 * b.Value("best_test_accuracy"):0.00}%. The autoencoder's weights serve as an initialisation, and the classification loss then reshapes the code."));
    }
}
