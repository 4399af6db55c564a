using Harness.Core.Configuration;
using Harness.Core.Experiments;
using Harness.Core.Requirements;
using Harness.Tasks.Hw4.Models;
using static TorchSharp.torch;

namespace Harness.Tasks.Hw4;

/// <summary>2(a): the small CNN's design — layers, output shapes and parameters — checked on a dummy batch.</summary>
public sealed class Q2aCnnDesign : TaskDefinition
{
    public sealed record Settings_(SmallFashionCnn.Options Network);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "2a";
    public override string Title => "Designing a small CNN for Fashion-MNIST";
    public override string SeedText => "Design a small CNN (e.g. 3-4 hidden layers) for Fashion-MNIST. Describe its layers and the number of parameters.";
    public override object Settings(Profile profile) => new Settings_(new SmallFashionCnn.Options());

    public override IReadOnlyList<Requirement> Requirements { get; } = new[]
    {
        new Requirement("hw4.2a.hidden-layers", "The CNN has 3–4 hidden layers (convolutional or fully connected layers before the output layer).", 1,
            r => Verdict.Of(r.Value("hidden_layers") is >= 3 and <= 4, r.Value("hidden_layers").ToString("0"), "3–4", "hidden_layers")),
        Requirement.Holds("hw4.2a.param-table", "A table lists every layer's output shape and parameters, and the parameter counts add up to the total.", 1, "param_table_ok"),
        Requirement.Holds("hw4.2a.output", "A batch of 28×28 images gives one row of 10 logits per image.", 0.5, "output_shape_ok"),
    };

    public override void Run(RunContext ctx)
    {
        var s = (Settings_)Settings(ctx.Profile);
        manual_seed(ctx.Seed);
        using var model = new SmallFashionCnn(s.Network);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "Small CNN (2a)");
        var counts = Harness.Core.Metrics.ModelSummary.ParameterCounts(model);
        var total = Harness.Core.Metrics.ModelSummary.TotalParameters(model);
        int weightLayers = counts.Count;
        ctx.Value("hidden_layers", weightLayers - 1);
        ctx.Value("param_table_ok", counts.Sum(c => c.Parameters) == total ? 1 : 0);
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            model.eval();
            var y = model.call(zeros(5, 1, 28, 28));
            ctx.Value("output_shape_ok", y.shape.SequenceEqual(new long[] { 5, 10 }) ? 1 : 0);
        }
        var biggest = counts.MaxBy(c => c.Parameters);
        ctx.Observe($"The network has {weightLayers - 1} hidden layers ({string.Join(", ", counts.Take(weightLayers - 1).Select(c => c.Layer))}) and {total:N0} parameters; " +
            $"{biggest.Layer} holds {100.0 * biggest.Parameters / total:0.0}% of them, because it connects the {s.Network.Conv2}×7×7 pooled maps to {s.Network.Hidden} units.");
        ctx.Observe("Each convolution keeps the 28×28 (then 14×14) size with padding 1, and each max-pooling halves it, so the classifier sees 7×7 maps.");
    }
}
