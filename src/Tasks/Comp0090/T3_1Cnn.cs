using Harness.Core.Experiments;
using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// 3.1: the split into Fashion-MNIST-1 and -2 (checked here, shared by every task), and a CNN on FM-1 trained to
/// convergence: loss curves, final accuracies, the test confusion matrix and its most-confused pairs. Its weights are
/// kept for the feature maps of 3.3.
/// </summary>
public sealed class T3_1Cnn : Comp0090Task<T3_1Cnn.Settings_>
{
    public sealed record Settings_(HalfSizes Data, CnnConfig Cnn, Convergence Training)
    {
        [System.Text.Json.Serialization.JsonIgnore] public string Scale => $"{Data.TrainScale}, {Training.Words}";
    }

    public const string WeightsArtifact = "cnn_weights";
    /// <summary>How many of the most-confused pairs are named.</summary>
    public const int Pairs = 3;
    public override string Id => "3.1";
    public override string Title => "A CNN on Fashion-MNIST-1";
    public override string SeedText => "We split Fashion-MNIST into Fashion-MNIST-1 and Fashion-MNIST-2, which are of equal size and both contain a disjoint half of the original labels each. Train a convolutional neural network on Fashion-MNIST-1 until convergence. Plot its training and validation loss, report its final training, validation and test accuracy, show its confusion matrix and discuss which classes it confuses and why.";

    /// <summary>The CNN every task starts from: two 3×3 conv layers of 8 and 16 channels with pooling, one classification layer, Adam.</summary>
    public static readonly CnnConfig BaseCnn = new(new CnnShape([8, 16], 3, []), "Adam", 1e-3);

    /// <summary>
    /// Test accuracy of the kept weights at seeds 1, 2, 42 (<see cref="Calibration"/>), measured 2026-12-01 with
    /// `harness run --assignment comp0090 --task 3.1 --seed N [--profile full]` (full: stopped after epochs 14, 9, 13).
    /// </summary>
    private static readonly Calibration.Reference SmokeTestAccuracy = new([0.87, 0.855, 0.865]);
    private static readonly Calibration.Reference FullTestAccuracy = new([0.912, 0.9072, 0.9088]);

    public override Settings_ Settings(Profile profile) => profile == Profile.Full
        ? new(HalfSizes.Whole, BaseCnn, new Convergence(MaxEpochs: 30, Patience: 2, BatchSize: 128))
        : new(new HalfSizes(600, 300, 600), BaseCnn, new Convergence(MaxEpochs: 30, Patience: 2, BatchSize: 32));

    protected override double? Work(Settings_ s) => s.Training.Work(s.Data.TrainCount, s.Data.ValidationCount) + WorkVolume.Evaluation(s.Data.TestCount);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var (full, smoke) = (Settings(Profile.Full), Settings(Profile.Smoke));
        return
        [
            Requirement.Holds("comp0090.3.1.labels", "FM-1's and FM-2's original labels are disjoint and together cover all ten.", 1, "labels_disjoint_cover"),
            Requirement.Holds("comp0090.3.1.equal", "Both halves are of equal size in every part (train, validation, test).", 1, "halves_equal"),
            Requirement.Holds("comp0090.3.1.one-place", "Every original image is in exactly one place (a part of one half, or set aside as an exact copy).", 1, "one_place_each"),
            Requirement.Holds("comp0090.3.1.no-copies", "No image (byte-identical pixels) is shared between a half's train, validation and test parts; the exact duplicates of Fashion-MNIST are counted.", 1, "no_shared_pixels"),
            Requirement.Holds("comp0090.3.1.validation", $"The validation part is a stratified {Show.PercentBound(FashionHalves.ValidationFraction)} of each class of the training file.", 1, "validation_stratified"),
            Requirement.Holds("comp0090.3.1.converged", $"The CNN is trained to convergence: {full.Training.Words} (smoke: patience {smoke.Training.Patience}, at most {smoke.Training.MaxEpochs}), and the patience ran out.", 2, "converged") with { NeedsWholeSchedule = true },
            ConvergenceRecorder.CurvesRequirement("comp0090.3.1.curves", "Training and validation loss are recorded and plotted for every epoch up to the stop.", 2),
            Calibration.AtLeast("comp0090.3.1.accuracy", "FM-1 test accuracy of the kept weights", 6, "test_accuracy", FullTestAccuracy, 0.85, SmokeTestAccuracy, smoke.Scale),
            Requirement.Holds("comp0090.3.1.accuracies", "Final training, validation and test accuracy of the kept weights are reported.", 1, "accuracies_reported"),
            Requirement.Holds("comp0090.3.1.confusion", "The test confusion matrix counts every test image once and its diagonal gives the test accuracy.", 2, "confusion_consistent"),
            MostConfused.Requirement("comp0090.3.1.pairs", $"The {Show.Word(Pairs)} most-confused pairs are read from the recorded confusion matrix (largest off-diagonal sums, both directions).", 2),
        ];
    }

    protected override void RunOnOneThread(RunContext ctx, Settings_ s)
    {
        var data = ctx.Data.FashionMnist();
        HalfChecks.Record(ctx, data, FashionHalves.Partition(data, ctx.Seed));
        var fm1 = FashionHalves.Load(ctx, 1, s.Data);
        ctx.Value("train_images", fm1.Train.Count); ctx.Value("validation_images", fm1.Validation.Count); ctx.Value("test_images", fm1.Test.Count);

        manual_seed(ctx.Seed);
        using var model = new ConvNet(s.Cnn.Shape);
        TrainingRecorder.RecordArchitecture(ctx, model, [1, 28, 28], label: "CNN");
        var fitted = ctx.Timed("training", () => ConvergenceTraining.Fit(ctx, "3.1 CNN", model, s.Cnn, s.Training, fm1.Train, fm1.Validation, fm1.Test));
        ConvergenceRecorder.Record(ctx, fitted, "", "CNN on FM-1");
        ctx.Check("converged", fitted.Converged(s.Training), ConvergenceRecorder.ConvergedFinding(fitted, s.Training));
        var sc = fitted.Scores;
        var all = new[] { sc.TrainAccuracy, sc.ValidationAccuracy, sc.TestAccuracy };
        ctx.Check("accuracies_reported", all.All(a => a is >= 0 and <= 1),
            $"training {Show.Percent(sc.TrainAccuracy)}, validation {Show.Percent(sc.ValidationAccuracy)}, test {Show.Percent(sc.TestAccuracy)}");
        model.save(ctx.Artifact(WeightsArtifact, "cnn.weights"));

        MostConfused.Record(ctx, model, fm1.Test, sc.TestAccuracy, Pairs);
        ctx.Observe($"Trained to convergence: the validation loss was lowest at epoch {fitted.Result.BestEpoch} and training stopped after epoch {fitted.StoppedAt}; "
            + $"the kept weights reach {Show.Percent(sc.TrainAccuracy)} training, {Show.Percent(sc.ValidationAccuracy)} validation and {Show.Percent(sc.TestAccuracy)} test accuracy.");
    }
}
