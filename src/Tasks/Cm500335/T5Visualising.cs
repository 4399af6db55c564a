using Harness.Core.Analysis;
using Harness.Tasks.Cm500335.Models;

namespace Harness.Tasks.Cm500335;

/// <summary>
/// Task 5: visualising the CNN of 4.1 — every conv layer's filters, every conv layer's activations for one '2' and one '9',
/// and "deep dream" images of classes 2 and 9 by gradient ascent on the class logit (<see cref="ActivationMaximisation"/>,
/// shared with Exercise sheet 08).
/// </summary>
public sealed class T5Visualising : TaskDefinition<T5Visualising.Settings_>
{
    public sealed record Settings_(int[] Digits, ActivationMaximisation.Settings Dream);

    public override string Assignment => Cm500335Assignment.AssignmentId;
    public override string Id => "5";
    public override string Title => "Visualising the CNN";
    public override string SeedText => "For the CNN of task 4.1, plot the filters of every convolutional layer on a grid, plot each layer's activations for one image of a '2' and one of a '9', and create \"deep dream\" images for classes 2 and 9 by gradient ascent on the input to maximise the class output.";
    public override IReadOnlyList<string> DependsOn => new[] { "4.1" };
    public override Settings_ Settings(Profile profile) => new Settings_(new[] { 2, 9 },
        new ActivationMaximisation.Settings(Steps: 300, StepSize: 0.5, L2: 0.001, Min: Cm500335Data.Min, Max: Cm500335Data.Max, StartValue: Cm500335Data.Min));

    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var s = Settings(Profile.Full);
        var convs = T4_1Cnn.Net.Channels.Length;
        var digits = string.Join(" and one ", s.Digits.Select(d => $"'{d}'"));
        var trained = new T4_1Cnn().Settings(Profile.Smoke).Data.TrainScale;
        return new[]
        {
            Requirement.Holds("cm500335.5.filters", $"The filters of every conv layer (conv1–conv{convs}) are shown on a grid.", 1, "filters_ok"),
            Requirement.Holds("cm500335.5.activations", $"Every conv layer's activations are shown for one {digits}.", 1, "activations_ok"),
        }.Concat(s.Digits.Select(d =>
            Requirement.AtLeast($"cm500335.5.dream-{d}", $"The probability that the CNN gives class {d} for its deep-dream image", 1, $"dream_probability_{d}",
                new Threshold(0.99, 0.95, $"a CNN trained on {trained}") { FullOrigin = Cm500335Assignment.Specification }, ValueFormat.Decimal(4))))
        .Append(Requirement.Holds("cm500335.5.ascent", "The target logit rises at every accepted ascent step (gradient ascent works).", 0.5, "ascent_monotone"));
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var cnn = ctx.Dependency<T4_1Cnn>();
        var (cnnRecord, cnnFolder) = (cnn.Record, cnn.Folder);
        using var model = T4_1Cnn.Build(cnn.Task.Settings(ctx.Options).Net);
        model.load(Path.Combine(cnnFolder, cnnRecord.Artifacts["weights"]));
        model.to(ctx.Device).eval();
        ctx.Value("cnn_test_accuracy", cnnRecord.Value("final_test_accuracy"));

        Filters(ctx, model);
        Activations(ctx, model, s);
        Dreams(ctx, model, s);
    }

    private static void Filters(RunContext ctx, StridedCnn model)
    {
        bool ok = true;
        for (int i = 0; i < model.ConvLayers; i++)
        {
            using var scope = NewDisposeScope();
            var w = model.Conv(i).weight!.detach().cpu();               // out × in × k × k
            // Deeper filters have many input channels: show each filter's mean over them (one k×k image per filter).
            var shown = w.shape[1] == 1 ? w[.., 0] : w.mean(new long[] { 1 });
            var k = (int)w.shape[2];
            var images = Enumerable.Range(0, (int)w.shape[0]).Select(f => new GridImage($"{f + 1}", Cm500335Data.Pixels(shown[f]))).ToList();
            ctx.Figure($"filters_conv{i + 1}", $"conv{i + 1}: its {w.shape[0]} filters ({k}×{k}{(w.shape[1] == 1 ? "" : $", averaged over the {w.shape[1]} input channels")}), each min–max scaled.",
                new ImageGridSpec($"conv{i + 1} filters", k, k, 1, Math.Min(16, images.Count), images, Normalize: true));
            ok &= images.Count == model.Channels[i];
        }
        int expected = T4_1Cnn.Net.Channels.Length;
        ctx.Check("filters_ok", ok && model.ConvLayers == expected, ok && model.ConvLayers == expected
            ? $"the filters of all {model.ConvLayers} conv layers ({string.Join(", ", model.Channels)} filters) shown on grids"
            : $"{model.ConvLayers} conv layers (expected {expected}); a grid lacks filters: {!ok}");
    }

    private static void Activations(RunContext ctx, StridedCnn model, Settings_ s)
    {
        var test = ctx.Data.Mnist().Test;   // the canonical test file (x/255); the first image of each digit, scaled like the training data
        var labels = test.LabelArray();
        var active = new Dictionary<(int, string), long>();
        int shownLayers = 0;
        var inputs = new List<GridImage>();
        foreach (var digit in s.Digits)
        {
            var index = Array.IndexOf(labels, (long)digit);
            using var scope = NewDisposeScope();
            var x = (test.Gather(tensor(new long[] { index })) * 2 - 1).to(ctx.Device);
            inputs.Add(new GridImage($"test image {index}: {digit}", Cm500335Data.Pixels((x + 1) / 2)));
            using (no_grad())
                foreach (var (name, output) in model.Trace(x).Where(t => t.Name.StartsWith("conv", StringComparison.Ordinal)))
                {
                    var maps = output[0].cpu();
                    int c = (int)maps.shape[0], h = (int)maps.shape[1], w = (int)maps.shape[2];
                    var images = Enumerable.Range(0, c).Select(f => new GridImage($"{f + 1}", Cm500335Data.Pixels(maps[f]))).ToList();
                    var nonZero = maps.flatten(1).amax(new long[] { 1 }).gt(0).sum().item<long>();
                    active[(digit, name)] = nonZero;
                    ctx.Value($"active_maps_{name}_digit{digit}", nonZero);
                    ctx.Figure($"activations_{name}_digit{digit}", $"{name}: its {c} activation maps ({h}×{w}, after ReLU) for the '{digit}' (test image {index}), each min–max scaled; {nonZero} of {c} maps are non-zero.",
                        new ImageGridSpec($"{name} activations, digit {digit}", w, h, 1, Math.Min(16, c), images, Normalize: true));
                    shownLayers++;
                }
            using (no_grad())
            {
                var p = nn.functional.softmax(model.call(x), 1)[0, digit].item<float>();
                ctx.Value($"input_probability_{digit}", p);
            }
        }
        ctx.Figure("activation_inputs", "The two test images whose activations are shown.", new ImageGridSpec("Inputs", 28, 28, 1, inputs.Count, inputs));
        ctx.Check("activations_ok", shownLayers == model.ConvLayers * s.Digits.Length,
            $"{shownLayers} activation figures shown for {model.ConvLayers} conv layers × {s.Digits.Length} digits ({string.Join(", ", s.Digits)})");
        var first = s.Digits[0]; var second = s.Digits[1];
        string Share(int d, string layer, int channels) => $"{active[(d, layer)]} of {channels}";
        ctx.Observe($"Maps that respond at all (non-zero after ReLU): for the '{first}', {Share(first, "conv1", model.Channels[0])} in conv1, {Share(first, "conv2", model.Channels[1])} in conv2 and {Share(first, "conv3", model.Channels[2])} in conv3; for the '{second}', {Share(second, "conv1", model.Channels[0])}, {Share(second, "conv2", model.Channels[1])} and {Share(second, "conv3", model.Channels[2])}.");
    }

    private static void Dreams(RunContext ctx, StridedCnn model, Settings_ s)
    {
        var images = new List<GridImage>();
        var curves = new List<LineSeries>();
        var monotone = new Findings();
        foreach (var digit in s.Digits)
        {
            var r = ctx.Timed("deep_dream", () => ActivationMaximisation.Maximise(model, digit, new long[] { 1, 28, 28 }, s.Dream, ctx.Device));
            ctx.Value($"dream_probability_{digit}", r.Probability);
            ctx.Value($"dream_predicted_{digit}", r.PredictedClass);
            ctx.Value($"dream_final_logit_{digit}", r.TargetLogit[^1]);
            ctx.Value($"dream_steps_{digit}", r.TargetLogit.Length - 1);
            ctx.Series($"dream_logit_{digit}", r.TargetLogit);
            monotone.Expect(ActivationMaximisation.RisesMonotonically(r.TargetLogit), () => $"class {digit}: the logit falls at an accepted step");
            images.Add(new GridImage($"class {digit}: p = {r.Probability:0.0000}", r.Image.Select(v => (v - s.Dream.Min) / (s.Dream.Max - s.Dream.Min)).ToArray()));
            curves.Add(new LineSeries($"logit of class {digit}", Enumerable.Range(0, r.TargetLogit.Length).Select(i => (double)i).ToArray(), r.TargetLogit));
            ctx.Observe(string.Create(CultureInfo.InvariantCulture,
                $"Deep dream for {digit}: the logit rises from {r.TargetLogit[0]:0.00} on the black image to {r.TargetLogit[^1]:0.00} in {r.TargetLogit.Length - 1} accepted steps; the CNN classifies the result as {r.PredictedClass} with probability {r.Probability:0.0000}."));
        }
        ctx.Check("ascent_monotone", monotone, $"the target logit rises at every accepted step for class {string.Join(" and ", s.Digits)}");
        ctx.Figure("deep_dream", "\"Deep dream\" images: gradient ascent on the class logit from a black image (pixels kept in the input range), with the CNN's probability for the class.",
            new ImageGridSpec("Deep dream images", 28, 28, 1, images.Count, images));
        ctx.Figure("deep_dream_logits", "The target logit at every accepted gradient-ascent step.", new LineChartSpec("Deep dream: target logit", "accepted step", "logit", curves));
    }
}
