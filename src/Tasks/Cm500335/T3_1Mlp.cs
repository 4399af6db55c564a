using Harness.Core.Grading;
using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 3.1: the MLP [784, 1000, 1000, 10] with ReLU, cross-entropy and Adam (batch 50, lr 0.001 annealed to 0 by a
/// cosine schedule, 10 epochs: the brief's parameters are an "e.g.", see <see cref="AdamSettings"/>).
/// </summary>
public sealed class T3_1Mlp : TaskDefinition<T3_1Mlp.Settings_>, IGradedTask
{
    public sealed record Settings_(MnistSizes Data, int[] Hidden, AdamSettings Training);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "3.1";
    public override string Title => "An MLP [784, 1000, 1000, 10]";
    public override string SeedText => "Train a multi-layer perceptron with layers [784, 1000, 1000, 10], ReLU activations and cross-entropy loss, with Adam (batch size 50, learning rate 0.001) for 10 epochs. Report its number of parameters and plot the training and test accuracy per epoch.";
    public override Settings_ Settings(Profile profile) => profile == Profile.Full
        ? new Settings_(new MnistSizes(null, null), new[] { 1000, 1000 }, Training(Profile.Full))
        : new Settings_(new MnistSizes(800, 500), new[] { 1000, 1000 }, Training(Profile.Smoke));

    /// <summary>How the MLPs of 3.1 and 3.2 are trained.</summary>
    public static AdamSettings Training(Profile profile) => profile == Profile.Full
        ? new AdamSettings(10, 50, 0.001, CosineDecay: true)
        : new AdamSettings(2, 50, 0.001, CosineDecay: true);

    protected override double? Work(Settings_ s) => s.Training.Work(s.Data);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        return
        [
            Requirement.Exactly("cm500335.3.1.params", "The number of parameters of the MLP [784, 1000, 1000, 10]", 1, "params_total", 1796010),
            Requirement.Holds("cm500335.3.1.curves", "Training and test accuracy are recorded and plotted for every epoch.", 1, "curves_ok"),
            Requirement.Holds("cm500335.3.1.loss-falls", "The training loss falls over training.", 0.5, "loss_falls"),
            Requirement.AtLeast("cm500335.3.1.accuracy", $"Final test accuracy ({AdamSettings.AnnealedNote})", 2, "final_test_accuracy",
                new Threshold(0.98, 0.75, $"{smoke.Data.TrainScale} and {smoke.Training.Epochs} epochs") { FullOrigin = Cm500335Assignment.Specification }, ValueFormat.Percent),
        ];
    }

    /// <summary>A submitted MLP is judged by its parameters and its final test accuracy (shown once grades are published).</summary>
    public IReadOnlyList<GradedRequirement> GradedRequirements { get; } =
        [new("cm500335.3.1.params"), new("cm500335.3.1.accuracy", Visibility.AfterPublished)];
    public nn.Module<Tensor, Tensor> BuildReference() => new Mlp(Settings(Profile.Full).Hidden);
    public DataSetInfo HeldOutData => DataSetCatalog.Mnist;
    public string InputDescription => "batches of 28×28 MNIST images (flattened to 784 inputs by the network) scaled to [−1, 1] as the brief prescribes (x/127.5 − 1)";

    /// <summary>The MNIST test images of the profile (all 10,000 at full), scaled as the brief prescribes.</summary>
    public void Measure(SubmissionContext ctx, nn.Module<Tensor, Tensor> model)
    {
        var test = ctx.HeldOut("cm500335.mnist-test", () => Cm500335Data.Test(ctx.Data, Settings(ctx.Profile).Data, ctx.Seed));
        ctx.Accuracy("final_test_accuracy", model, test);
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var data = Cm500335Data.Mnist(ctx, s.Data);
        Cm500335Data.RecordSizes(ctx, data);
        manual_seed(ctx.Seed);
        using var model = new Mlp(s.Hidden);
        var (row, result) = ctx.Timed("training", () => Cm500335Training.TrainAndRecord(ctx, model, data, s.Training, "", "MLP [784, 1000, 1000, 10]", "MLP", "784-1000-1000-10"));
        var epochs = s.Training.Epochs;
        long hidden = ModelSummary.ParameterCounts(model).Where(c => c.Layer is "fc1" or "fc2").Sum(c => c.Parameters);
        ctx.Check("curves_ok", Cm500335Training.CurvesOk(result, epochs), Cm500335Training.CurvesFinding(result, epochs));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"fc1 and fc2 hold {(double)hidden / row.Parameters:P1} of the {row.Parameters:N0} parameters; after {epochs} epochs the test accuracy is {row.TestAccuracy:P2}."));
    }
}
