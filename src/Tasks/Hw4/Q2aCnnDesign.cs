using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>2(a): the small CNN's design — layers, output shapes and parameters — checked on a dummy batch.</summary>
public sealed class Q2aCnnDesign : TaskDefinition<Q2aCnnDesign.Settings_>
{
    public sealed record Settings_(SmallFashionCnn.Options Network);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "2a";
    public override string Title => "Designing a small CNN for Fashion-MNIST";
    public override string SeedText => "Design a small CNN (e.g. 3-4 hidden layers) for Fashion-MNIST. Describe its layers and the number of parameters.";
    public override Settings_ Settings(Profile profile) => new Settings_(new SmallFashionCnn.Options());

    /// <summary>The seed's "e.g. 3-4 hidden layers".</summary>
    private const int MinHidden = 3, MaxHidden = 4;
    private static readonly int[] ImageShape = DataSetCatalog.FashionMnist.TrainImages.Shape;
    private static readonly int Classes = DataSetCatalog.FashionMnist.ClassNames.Length;

    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        new Requirement("hw4.2a.hidden-layers", $"The CNN has {MinHidden}–{MaxHidden} hidden layers (convolutional or fully connected layers before the output layer).", 1,
            r => Verdict.Of(r.Value("hidden_layers") is >= MinHidden and <= MaxHidden, r.Value("hidden_layers").ToString("0"), $"{MinHidden}–{MaxHidden}", "hidden_layers")) { Value = "hidden_layers" },
        Requirement.Holds("hw4.2a.param-table", "A table lists every layer's output shape and parameters, and the parameter counts add up to the total.", 1, "param_table_ok"),
        Requirement.Holds("hw4.2a.output", $"A batch of {ImageShape[1]}×{ImageShape[2]} images gives one row of {Classes} logits per image.", 0.5, "output_shape_ok"),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        manual_seed(ctx.Seed);
        using var model = new SmallFashionCnn(s.Network);
        var input = new long[] { 1, ImageShape[1], ImageShape[2] };
        TrainingRecorder.RecordArchitecture(ctx, model, input, label: "Small CNN (2a)");
        var counts = Harness.Core.Metrics.ModelSummary.ParameterCounts(model);
        var total = Harness.Core.Metrics.ModelSummary.TotalParameters(model);
        int weightLayers = counts.Count;
        ctx.Value("hidden_layers", weightLayers - 1);
        ctx.Check("param_table_ok", counts.Sum(c => c.Parameters) == total,
            $"the layers' parameters {string.Join(" + ", counts.Select(c => Show.Count(c.Parameters)))} = {Show.Count(counts.Sum(c => c.Parameters))}, the total {Show.Count(total)}");
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            model.eval();
            const int n = 5;
            var y = model.call(zeros(new long[] { n }.Concat(input).ToArray()));
            ctx.Check("output_shape_ok", y.shape.SequenceEqual(new long[] { n, Classes }),
                $"a batch of {n} images of {ImageShape[1]}×{ImageShape[2]} gives logits of shape {string.Join("×", y.shape)}");
        }
        var shapes = Harness.Core.Metrics.ModelSummary.Architecture(model, input).ToDictionary(r => r.Layer, r => r.OutputShape);
        var biggest = counts.MaxBy(c => c.Parameters);
        ctx.Observe($"The network has {weightLayers - 1} hidden layers ({string.Join(", ", counts.Take(weightLayers - 1).Select(c => c.Layer))}) and {total:N0} parameters; " +
            $"{biggest.Layer} holds {100.0 * biggest.Parameters / total:0.0}% of them, because it connects the {shapes["relu+pool "]} pooled maps to {s.Network.Hidden} units.");
        static string Side(string shape) => string.Join("×", shape.Split('×').Skip(1));
        ctx.Observe($"Each convolution keeps the {Side(shapes["conv1"])} (then {Side(shapes["conv2"])}) size with padding 1, and each max-pooling halves it, so the classifier sees {Side(shapes["relu+pool "])} maps.");
    }
}
