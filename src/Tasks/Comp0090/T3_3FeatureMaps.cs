using Harness.Core.Experiments;
using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// 3.3: the feature maps of 3.1's CNN (trained to convergence on FM-1) for one test image of each class, one figure per
/// conv layer, and for the deeper layers an association of channels with classes computed from the validation images:
/// each channel's mean activation per class, its top class, and what silencing a class's channels does to that class.
/// </summary>
public sealed class T3_3FeatureMaps : Comp0090Task<T3_3FeatureMaps.Settings_>
{
    /// <param name="MapsPerRow">tiles per row of a feature-map figure (a layer with more channels takes several rows per image)</param>
    public sealed record Settings_(T3_1Cnn.Settings_ Base, int MapsPerRow);

    public override string Id => "3.3";
    public override string Title => "Feature maps";
    public override string SeedText => "For a convolutional network trained to convergence on Fashion-MNIST-1, show the feature maps of every convolutional layer for images you choose (one of each class). Can you associate the channels of the deeper layers with the output classes?";
    public override IReadOnlyList<string> DependsOn => ["3.1"];
    public override Settings_ Settings(Profile profile) => new(new T3_1Cnn().Settings(profile), MapsPerRow: 16);

    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("comp0090.3.3.weights", "The network is 3.1's, trained to convergence: its loaded weights give 3.1's recorded test accuracy.", 3, "weights_reproduce"),
        Requirement.Holds("comp0090.3.3.images", "The chosen images are one test image of each class.", 2, "one_per_class"),
        Requirement.Holds("comp0090.3.3.maps", "There is one figure per conv layer, holding each chosen image's maps with the layer's true channel count and spatial size.", 6, "maps_per_layer"),
        Requirement.Holds("comp0090.3.3.association", "The channel–class association of every deeper conv layer is computed from the validation images (mean activation per class and channel; a second pass over the images in another order gives the same matrix).", 6, "association_computed"),
        Requirement.Holds("comp0090.3.3.top-class", "Each deeper layer's association and the top class of each of its channels are shown as figures.", 3, "association_shown"),
    ];

    protected override void RunOnOneThread(RunContext ctx, Settings_ s)
    {
        var cnn = ctx.Dependency<T3_1Cnn>();
        var fm1 = FashionHalves.Load(ctx, 1, s.Base.Data);
        using var model = new ConvNet(cnn.Task.Settings(ctx.Options).Cnn.Shape);
        model.load(Path.Combine(cnn.Folder, cnn.Record.Artifacts[T3_1Cnn.WeightsArtifact]));
        model.to(ctx.Device).eval();
        var accuracy = Evaluation.LossAndAccuracy(model, fm1.Test, ctx.Device).Accuracy;
        ctx.Check("weights_reproduce", accuracy == cnn.Record.Value("test_accuracy"),
            $"test accuracy {Show.Percent(accuracy)} with the loaded weights, {Show.Percent(cnn.Record.Value("test_accuracy"))} recorded by 3.1");

        var names = fm1.Test.ClassNames;
        var labels = fm1.Test.LabelArray();
        var chosen = Enumerable.Range(0, names.Count).Select(c => (long)Array.IndexOf(labels, (long)c)).ToArray();
        ctx.Check("one_per_class", chosen.All(i => i >= 0) && chosen.Select(i => labels[i]).Distinct().Count() == names.Count,
            $"test images {string.Join(", ", chosen)}: {string.Join(", ", chosen.Select(i => names[(int)labels[i]]))}");
        using var scope = NewDisposeScope();
        var x = fm1.Test.Gather(tensor(chosen)).to(ctx.Device);
        ctx.Figure("inputs", "The chosen images: the first FM-1 test image of each class.",
            new ImageGridSpec("Chosen images", 28, 28, 1, chosen.Length, chosen.Select((i, k) => new GridImage($"{names[k]} ({fm1.Ids.Test[i]})", Pixels(x[k]))).ToList()));
        FeatureMapFigures(ctx, model, x, names, s.MapsPerRow);
        ChannelAssociation.Record(ctx, model, fm1.Validation, fm1.Test);
    }

    private static void FeatureMapFigures(RunContext ctx, ConvNet model, Tensor x, IReadOnlyList<string> names, int perRow)
    {
        var found = new Findings();
        List<(string Name, Tensor Maps)> layers;
        using (no_grad()) layers = model.FeatureMaps(x).ToList();
        var convs = model.ConvLayers.ToList();
        found.Expect(layers.Count == convs.Count, () => $"{layers.Count} figures for {convs.Count} conv layers");
        foreach (var ((name, maps), (_, conv)) in layers.Zip(convs))
        {
            int c = (int)maps.shape[1], h = (int)maps.shape[2], w = (int)maps.shape[3];
            long trueChannels = conv.weight!.shape[0];
            var tiles = Enumerable.Range(0, (int)maps.shape[0]).SelectMany(i => Enumerable.Range(0, c).Select(k => new GridImage(k == 0 ? names[i] : $"{k + 1}", Pixels(maps[i, k])))).ToList();
            ctx.Figure($"maps_{name}", $"{name}: its {c} feature maps ({h}×{w}, after ReLU) for each chosen image, one image per {(c > perRow ? $"{(c + perRow - 1) / perRow} rows" : "row")} ({string.Join(", ", names)}), "
                + "each map scaled to its own range; the first map of an image is labelled with its class, the others with their channel.",
                new ImageGridSpec($"{name} feature maps", w, h, 1, Math.Min(c, perRow), tiles, Normalize: true));
            ctx.Value($"{name}_channels", c);
            ctx.Value($"{name}_side", h);
            found.Expect(c == trueChannels && tiles.Count == names.Count * trueChannels && tiles.All(t => t.Pixels.Length == h * w),
                () => $"{name}: {tiles.Count} maps of {c} channels shown, the layer has {trueChannels}");
        }
        ctx.Check("maps_per_layer", found, string.Join("; ", layers.Select(l => $"{l.Name}: {names.Count} × {l.Maps.shape[1]} maps of {l.Maps.shape[2]}×{l.Maps.shape[3]}")));
    }

    internal static float[] Pixels(Tensor t) => t.detach().cpu().contiguous().flatten().data<float>().ToArray();
}
