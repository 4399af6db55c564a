using Harness.Core.Grading;
using Harness.Tasks.Ex08.Models;

namespace Harness.Tasks.Ex08;

/// <summary>Q1.2: the PyTorch MNIST-example network on Fashion-MNIST: parameters per layer, 10 epochs, best-epoch accuracy, curves.</summary>
public sealed class Q1_2Baseline : TaskDefinition<Q1_2Baseline.Settings_>, IGradedTask
{
    public sealed record Settings_(Ex08TrainSettings Training, int ReproducibilityProbeBatches);

    public const string WeightsArtifact = "best_weights";
    /// <summary>The network's parameters, as the PyTorch MNIST example has them (the seed's table).</summary>
    public const long Parameters = 1_199_882;
    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.2";
    public override string Title => "The MNIST-example CNN on Fashion-MNIST";
    public override string SeedText => "Implement the network from the PyTorch MNIST example (two 3×3 convolutions with 32 and 64 channels, max-pooling, dropout 0.25, a fully-connected layer of 128 units, dropout 0.5, and the output layer). Report the number of parameters of every layer and in total. Train it for 10 epochs, report the accuracy of the best epoch and plot the loss and accuracy curves.";
    public override Settings_ Settings(Profile profile) => new(Ex08TrainSettings.For(profile), ReproducibilityProbeBatches: 5);

    protected override double? Work(Settings_ s) => s.Training.Work + WorkVolume.Training(1, s.ReproducibilityProbeBatches * s.Training.BatchSize);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        return
        [
            Requirement.Exactly("ex08.1.2.params-conv1", "The number of parameters of conv1", 0.25, "params_conv1", 320),
            Requirement.Exactly("ex08.1.2.params-conv2", "The number of parameters of conv2", 0.25, "params_conv2", 18496),
            Requirement.Exactly("ex08.1.2.params-fc1", "The number of parameters of fc1", 0.25, "params_fc1", 1179776),
            Requirement.Exactly("ex08.1.2.params-fc2", "The number of parameters of fc2", 0.25, "params_fc2", 1290),
            Requirement.Exactly("ex08.1.2.params-total", "The number of parameters of the network", 1, "params_total", Parameters),
            Requirement.Holds("ex08.1.2.loss-falls", "The training loss falls over training (last epoch below the first, none above it).", 1, "loss_falls"),
            Requirement.AtLeast("ex08.1.2.accuracy", "Test accuracy of the best epoch", 2, "best_test_accuracy",
                new Threshold(0.91, 0.78, smoke.Training.Scale), ValueFormat.Percent, $"chance is {Show.PercentBound(0.1)}"),
            Requirement.Holds("ex08.1.2.reproducible", $"The same seed gives the identical training: two seeded trainings from scratch agree bit for bit in their first {smoke.ReproducibilityProbeBatches} batch losses.", 1, "reproducible"),
        ];
    }

    /// <summary>A submitted network is judged by its parameters per layer and its test accuracy (shown once grades are published).</summary>
    public IReadOnlyList<GradedRequirement> GradedRequirements { get; } =
    [
        new("ex08.1.2.params-conv1"), new("ex08.1.2.params-conv2"), new("ex08.1.2.params-fc1"), new("ex08.1.2.params-fc2"), new("ex08.1.2.params-total"),
        new("ex08.1.2.accuracy", Visibility.AfterPublished),
    ];
    public nn.Module<Tensor, Tensor> BuildReference() => new MnistExampleCnn();
    public DataSetInfo HeldOutData => DataSetCatalog.FashionMnist;
    public string InputDescription => "batches of 1×28×28 Fashion-MNIST images, pixels scaled to [0, 1] and then standardised with the mean and standard deviation of the training images (0.286 and 0.353), as in this task's training";

    /// <summary>The test images of the profile (all 10,000 at full), standardised as the reference was trained.</summary>
    public void Measure(SubmissionContext ctx, nn.Module<Tensor, Tensor> model)
    {
        var test = ctx.HeldOut("ex08.fashion-test", () => DataPreparation.HeldOut(ctx.Data.FashionMnist(), Settings(ctx.Profile).Training.Sizes, ctx.Seed, "Fashion-MNIST test images"));
        ctx.Accuracy("best_test_accuracy", model, test);
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);

        var probe = ctx.Timed("reproducibility_probe", () => ProbeLosses(ctx, data, s));

        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn();
        model.to(ctx.Device);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 });
        var result = ctx.Timed("training", () => ctx.TrainClassifier("Q1.2 baseline", model, s.Training.Recipe, data));
        CompareWithProbe(ctx, probe, result.FirstLosses, s.ReproducibilityProbeBatches);
        TrainingRecorder.Record(ctx, result, label: "Baseline CNN");
        model.save(ctx.Artifact(WeightsArtifact, "best.weights"));

        var rows = ModelSummary.Architecture(model, new long[] { 1, 28, 28 });
        var fc1 = ModelSummary.ParameterCounts(model).Single(c => c.Layer == "fc1").Parameters;
        var fc1In = rows.Single(r => r.Layer == "dropout1+flatten").OutputShape;
        var fc1Out = rows.Single(r => r.Layer == "fc1").OutputShape;
        ctx.Observe($"fc1 holds {((double)fc1 / ModelSummary.TotalParameters(model)).ToString("P1", CultureInfo.InvariantCulture)} of all parameters: the {Show.Count(double.Parse(fc1In, CultureInfo.InvariantCulture))} pooled activations are fully connected to {fc1Out} units.");
    }

    /// <summary>
    /// The first batch losses of a fresh model trained from the run's seed for a few batches. The baseline below starts
    /// from the same seed, so its first batch losses must be these, bit for bit: two seeded trainings from scratch agree,
    /// at the cost of one short training instead of two.
    /// </summary>
    private static float[] ProbeLosses(RunContext ctx, PreparedData data, Settings_ s)
    {
        manual_seed(ctx.Seed);
        using var model = new MnistExampleCnn();
        var recipe = s.Training.Recipe with { Epochs = 1, MaxBatches = s.ReproducibilityProbeBatches };
        return ctx.Train("Q1.2 reproducibility probe", model, recipe, new ClassifierObjective(model, data.Train, null, null, ctx.Device), resumable: false).FirstLosses;
    }

    private static void CompareWithProbe(RunContext ctx, float[] probe, float[] baseline, int batches)
    {
        int first = Enumerable.Range(0, batches).FirstOrDefault(i => i >= probe.Length || i >= baseline.Length || !probe[i].Equals(baseline[i]), -1);
        static string R(float v) => v.ToString("R", CultureInfo.InvariantCulture);
        ctx.Check("reproducible", first < 0, first < 0
            ? $"the first {batches} batch losses of two trainings from seed {ctx.Seed} agree bit for bit ({string.Join(", ", probe.Take(batches).Select(R))})"
            : first >= probe.Length || first >= baseline.Length ? $"only {Math.Min(probe.Length, baseline.Length)} batch losses to compare"
            : $"batch {first + 1}: loss {R(probe[first])} in the probe, {R(baseline[first])} in the baseline");
    }
}
