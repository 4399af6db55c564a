using Harness.Core.Grading;
using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>2(b): train the small CNN of 2(a) on Fashion-MNIST and report the test accuracy of the best epoch.</summary>
public sealed class Q2bCnnTraining : TaskDefinition<Q2bCnnTraining.Settings_>, IGradedTask
{
    public sealed record Settings_(SmallFashionCnn.Options Network, Hw4TrainSettings Training);

    public const string WeightsArtifact = "best_weights";
    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "2b";
    public override string Title => "Training the small CNN";
    public override string SeedText => "Train your network and report the results on the test data.";
    public override Settings_ Settings(Profile profile) => new Settings_(new SmallFashionCnn.Options(), Hw4TrainSettings.For(profile, fullEpochs: 15));

    /// <summary>The seed's own network reached this test accuracy.</summary>
    public const double SeedAccuracy = 0.8769;

    protected override double? Work(Settings_ s) => s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("hw4.2b.loss-falls", "The training loss falls over training.", 1, "loss_falls"),
        Requirement.AtLeast("hw4.2b.accuracy", "Test accuracy of the best epoch", 3, "best_test_accuracy",
            new Threshold(0.89, 0.70, Settings(Profile.Smoke).Training.Scale), ValueFormat.Percent,
            $"the seed's network: {Show.Percent(SeedAccuracy)}; chance is {Show.PercentBound(0.1)}"),
    ];

    /// <summary>A submitted network is judged by its test accuracy (shown once grades are published); its architecture by loading strictly.</summary>
    public IReadOnlyList<GradedRequirement> GradedRequirements { get; } = [new("hw4.2b.accuracy", Visibility.AfterPublished)];
    public nn.Module<Tensor, Tensor> BuildReference() => new SmallFashionCnn(Settings(Profile.Full).Network);
    public DataSetInfo HeldOutData => DataSetCatalog.FashionMnist;
    public string InputDescription => "batches of 1×28×28 Fashion-MNIST images, pixels scaled to [0, 1] and then standardised with the mean and standard deviation of the training images (0.286 and 0.353), as in this task's training";

    /// <summary>The test images of the profile (all 10,000 at full), standardised as the reference was trained.</summary>
    public void Measure(SubmissionContext ctx, nn.Module<Tensor, Tensor> model)
    {
        var test = ctx.HeldOut("hw4.fashion-test", () => DataPreparation.HeldOut(ctx.Data.FashionMnist(), Settings(ctx.Profile).Training.Sizes, ctx.Seed, "Fashion-MNIST test images"));
        ctx.Accuracy("best_test_accuracy", model, test);
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);
        manual_seed(ctx.Seed);
        using var model = new SmallFashionCnn(s.Network);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "Small CNN");
        var result = ctx.Timed("training", () => ctx.TrainClassifier("2b small CNN", model, s.Training.Recipe, data));
        TrainingRecorder.Record(ctx, result, label: "Small CNN");
        model.save(ctx.Artifact(WeightsArtifact, "best.weights"));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The small CNN reaches {100 * result.Best.TestAccuracy:0.00}% test accuracy at epoch {result.BestEpoch}; the seed's network reached {Show.Percent(SeedAccuracy)}."));
    }
}
