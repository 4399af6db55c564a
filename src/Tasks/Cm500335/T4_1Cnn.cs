using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 4.1: the CNN with filters [32, 64, 128], 4×4 kernels, strides 1, 2, 2, no padding, flatten and a dense layer
/// of 10, ReLU, trained with Adam like the MLPs (batch 50, lr 0.001 annealed to 0 by a cosine schedule; the brief's
/// parameters are an "e.g.", see <see cref="AdamSettings"/>). Its weights are kept for task 5.
/// </summary>
public sealed class T4_1Cnn : TaskDefinition<T4_1Cnn.Settings_>
{
    public sealed record Architecture(int[] Channels, int Kernel, int[] Strides, int Padding);
    public sealed record Settings_(MnistSizes Data, Architecture Net, AdamSettings Training);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "4.1";
    public override string Title => "A CNN with strided convolutions";
    public override string SeedText => "Train a CNN with three convolutional layers of 32, 64 and 128 filters of size 4×4, strides 1, 2 and 2, no padding, followed by a flatten and a dense layer of 10 units, with ReLU activations and Adam. Report its number of parameters and plot its training and test accuracy per epoch.";

    public static readonly Architecture Net = new(new[] { 32, 64, 128 }, 4, new[] { 1, 2, 2 }, 0);
    public override Settings_ Settings(Profile profile) => profile == Profile.Full
        ? new Settings_(new MnistSizes(null, null), Net, Training(Profile.Full))
        : new Settings_(new MnistSizes(800, 500), Net, Training(Profile.Smoke));

    /// <summary>How the CNNs of 4.1 and 4.2 are trained.</summary>
    public static AdamSettings Training(Profile profile) => profile == Profile.Full
        ? new AdamSettings(10, 50, 0.001, CosineDecay: true)
        : new AdamSettings(2, 50, 0.001, CosineDecay: true);


    protected override double? Work(Settings_ s) => s.Training.Work(s.Data);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        var sides = new List<int> { 28 };
        for (int i = 0; i < Net.Strides.Length; i++) sides.Add(StridedCnn.OutputSide(sides[^1], Net.Kernel, new[] { Net.Strides[i] }, Net.Padding));
        return
        [
            Requirement.Exactly("cm500335.4.1.params", $"The number of parameters of the CNN (no padding: {string.Join(" → ", sides)}, {Show.Count(Net.Channels[^1] * sides[^1] * sides[^1])} features)", 1, "params_total", 185066),
            Requirement.Holds("cm500335.4.1.curves", "Training and test accuracy are recorded and plotted for every epoch.", 1, "curves_ok"),
            Requirement.Holds("cm500335.4.1.loss-falls", "The training loss falls over training.", 0.5, "loss_falls"),
            Requirement.AtLeast("cm500335.4.1.accuracy", $"Final test accuracy ({AdamSettings.AnnealedNote})", 2, "final_test_accuracy",
                new Threshold(0.99, 0.80, $"{smoke.Data.TrainScale} and {smoke.Training.Epochs} epochs") { FullOrigin = Cm500335Assignment.Specification }, ValueFormat.Percent),
        ];
    }

    public static StridedCnn Build(Architecture a) => new(a.Channels, a.Kernel, a.Strides, a.Padding);

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Cm500335Data.Mnist(ctx, s.Data);
        Cm500335Data.RecordSizes(ctx, data);
        manual_seed(ctx.Seed);
        using var model = Build(s.Net);
        var (row, result) = ctx.Timed("training", () => Cm500335Training.TrainAndRecord(ctx, model, data, s.Training, "", "CNN [32, 64, 128]", "CNN", "32-64-128"));
        ctx.Check("curves_ok", Cm500335Training.CurvesOk(result, s.Training.Epochs), Cm500335Training.CurvesFinding(result, s.Training.Epochs));
        model.save(ctx.Artifact("weights", "cnn.weights"));
        var counts = ModelSummary.ParameterCounts(model);
        var lastConv = counts.Last(c => c.Layer.StartsWith("conv", StringComparison.Ordinal));
        long dense = counts.Single(c => c.Layer == "fc").Parameters, mlp = Mlp.ParameterCount(new T3_1Mlp().Settings(ctx.Profile).Hidden);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"{lastConv.Layer} holds {(double)lastConv.Parameters / row.Parameters:P1} of the {row.Parameters:N0} parameters and the dense layer {(double)dense / row.Parameters:P1}; the CNN has {(double)mlp / row.Parameters:0.0}× fewer parameters than the MLP of 3.1 and reaches {row.TestAccuracy:P2} test accuracy."));
    }
}
