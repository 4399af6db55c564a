using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 3(d): the structure of 3(c) improved: the encoder starts from the autoencoder's weights but is fine-tuned, the
/// single layer becomes a hidden layer of 256 units with dropout 0.5 before the output, and the training images are
/// augmented (shifts, mirroring).
/// </summary>
public sealed class Q3dImprovedEncoder : TaskDefinition<Q3dImprovedEncoder.Settings_>
{
    public sealed record Settings_(Hw4TrainSettings Training, int HeadHidden, double Dropout, bool FineTuneEncoder, int MaxShift);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "3d";
    public override string Title => "Improving the autoencoder-based classifier";
    public override string SeedText => "Improve the structure of your classifier from 3(c) and report the test accuracy.";
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "3a", "3c", "2b" };
    public override Settings_ Settings(Profile profile) => new Settings_(Hw4TrainSettings.For(profile, fullEpochs: 30), HeadHidden: 256, Dropout: 0.5, FineTuneEncoder: true, MaxShift: 2);

    /// <summary>The seed's improved autoencoder-based classifier reached this test accuracy.</summary>
    public const double SeedAccuracy = 0.8853;

    protected override double? Work(Settings_ s) => s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("hw4.3d.changes", "The changes to 3(c)'s structure are stated: the encoder is fine-tuned and the head has a hidden layer with dropout.", 1, "changes_stated"),
        Requirement.AtLeast("hw4.3d.accuracy", "Test accuracy of the epoch chosen by validation", 3, "best_test_accuracy",
            new Threshold(0.89, 0.50, Settings(Profile.Smoke).Training.Scale + ", augmented"), ValueFormat.Percent,
            $"the seed: {Show.Percent(SeedAccuracy)}; chance is {Show.PercentBound(1.0 / EncoderClassifier.Classes)}"),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var (aTask, a, folder) = ctx.Dependency<Q3aAutoencoder>();
        var b = ctx.Dependency<Q2bCnnTraining>().Record;
        var frozen = ctx.Dependency<Q3cFrozenEncoder>();
        var c = frozen.Record;
        var data = UnitRangeData.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        using var autoencoder = new ConvAutoencoder(aTask.Settings(ctx.Options).CodeSize);
        autoencoder.load(Path.Combine(folder, a.Artifacts[Q3aAutoencoder.WeightsArtifact]));
        manual_seed(ctx.Seed);
        using var model = new EncoderClassifier(autoencoder, s.HeadHidden, s.Dropout);
        if (!s.FineTuneEncoder) Harness.Core.Training.ModelState.FreezeAllExcept(model, "head");
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "Fine-tuned encoder + MLP head");
        var augment = new Augmentation(ctx.Seed, s.MaxShift, background: 0f);
        var result = ctx.Timed("training", () => ctx.TrainClassifier("3d improved", model, s.Training.Recipe, data, augment.Apply));
        TrainingRecorder.Record(ctx, result, label: "Fine-tuned encoder + MLP head");
        ctx.Check("changes_stated", new Findings()
                .Expect(s.FineTuneEncoder, "the encoder stays frozen")
                .Expect(s.HeadHidden > 0, "the head has no hidden layer")
                .Expect(s.Dropout > 0, "the head has no dropout"),
            $"encoder fine-tuned; head {autoencoder.CodeSize} → {s.HeadHidden} → {EncoderClassifier.Classes} with dropout {s.Dropout.ToString(CultureInfo.InvariantCulture)}; stated in the table \"changes\"");
        long trainable = ModelSummary.TrainableParameters(model);
        ctx.Value("trainable_params", trainable);

        ctx.Table("changes", "3(d): what changed against 3(c).", new[] { "aspect", "3(c)", "3(d)" }, new IReadOnlyList<string>[]
        {
            new[] { "encoder", "frozen (autoencoder weights)", s.FineTuneEncoder ? "initialised from the autoencoder, fine-tuned" : "frozen" },
            new[] { "head", $"linear {autoencoder.CodeSize} → {EncoderClassifier.Classes}", $"linear {autoencoder.CodeSize} → {s.HeadHidden}, ReLU, dropout {s.Dropout}, linear {s.HeadHidden} → {EncoderClassifier.Classes}" },
            new[] { "augmentation", "none", $"shifts up to ±{s.MaxShift} px, left–right mirroring" },
            new[] { "epochs", frozen.Task.Settings(ctx.Options).Training.Epochs.ToString(CultureInfo.InvariantCulture), s.Training.Epochs.ToString(CultureInfo.InvariantCulture) },
        });
        Q3cFrozenEncoder.Compare(ctx, new[]
        {
            ("small CNN, fully supervised (2b)", b.Value("params_total"), b.Value("params_total"), b.Value("best_test_accuracy")),
            ("frozen encoder + linear layer (3c)", c.Value("params_total"), c.Value("trainable_params"), c.Value("best_test_accuracy")),
            ("fine-tuned encoder + MLP head (3d)", (double)ModelSummary.TotalParameters(model), (double)trainable, result.Best.TestAccuracy),
        }, "3(d)");
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Fine-tuning the encoder with a hidden layer and dropout {(result.Best.TestAccuracy > c.Value("best_test_accuracy") ? "raises" : "does not raise")} the test accuracy from {100 * c.Value("best_test_accuracy"):0.00}% (3c) to {100 * result.Best.TestAccuracy:0.00}%; the supervised small CNN (2b) reached {100 * b.Value("best_test_accuracy"):0.00}%. The autoencoder's weights serve as an initialisation, and the classification loss then reshapes the code."));
    }
}
