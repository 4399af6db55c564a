using Harness.Tasks.Comp0090.Models;
using TorchSharp.Modules;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// Which output class each channel of a deeper conv layer goes with, computed from data: the mean activation (over the
/// map, after ReLU) of every channel for the images of each class, divided by the layer's mean over its channels for
/// that class, so that a class whose images simply light up more of the map (coats, pullovers) does not win every
/// channel; a channel's top class is the one it responds to most in these terms, its selectivity the top value over
/// the mean of all classes (1 = no preference). Checked against a second pass
/// in another order and batch size, and against a control with shuffled labels (which must be less selective); then
/// each class's channels are silenced to see whether that class suffers most.
/// </summary>
public static class ChannelAssociation
{
    /// <summary>Random stream of the shuffled-label control.</summary>
    private const long ShuffleStream = 0x3303;

    public static void Record(RunContext ctx, ConvNet model, ImageDataSet images, ImageDataSet test)
    {
        var names = images.ClassNames;
        var labels = images.LabelArray();
        var first = Relative(Means(model, images, labels, ctx.Device, batch: 250, reverse: false));
        var second = Relative(Means(model, images, labels, ctx.Device, batch: 333, reverse: true));
        var shuffledLabels = labels.ToArray();
        new SeededRandom(ctx.Seed, ShuffleStream).Shuffle(shuffledLabels);
        var shuffled = Relative(Means(model, images, shuffledLabels, ctx.Device, batch: 250, reverse: false));
        var deeper = model.ConvLayers.Skip(1).Select(l => l.Name).ToList();

        var computed = new Findings().Expect(deeper.Count > 0, "the network has no conv layer after the first");
        var shown = new Findings();
        foreach (var layer in deeper)
        {
            var m = first[layer];
            double gap = m.Zip(second[layer]).SelectMany(p => p.First.Zip(p.Second, (a, b) => Math.Abs(a - b) / Math.Max(1e-12, Math.Abs(a)))).Max();
            double sel = MeanSelectivity(m), control = MeanSelectivity(shuffled[layer]);
            computed.Expect(gap <= 1e-9, () => $"{layer}: the second pass differs by {gap:G3} (relative)")
                .Expect(sel > control, () => $"{layer}: selectivity {sel:0.000} with the true labels, {control:0.000} with shuffled ones");
            ctx.Value($"{layer}_selectivity", sel);
            ctx.Value($"{layer}_selectivity_shuffled", control);
            var top = m.Select(row => Array.IndexOf(row, row.Max())).ToArray();
            var dead = m.Count(row => row.Max() <= 0);
            ctx.Value($"{layer}_dead_channels", dead);
            for (int c = 0; c < names.Count; c++) ctx.Value($"{layer}_channels_top_{c}", top.Count(t => t == c));
            ctx.Series($"{layer}_top_class", top.Select(t => (double)t));

            var normalised = m.Select(row => row.Max() <= 0 ? row.Select(_ => 0.0).ToArray() : row.Select(v => v / row.Max()).ToArray()).ToArray();
            ctx.Figure($"association_{layer}", $"{layer}: mean activation of each of its {m.Length} channels (rows) for the {Show.Count(images.Count)} {images.Name} images of each class (columns), relative to the layer's mean for the class and scaled to the channel's largest value; "
                + $"mean selectivity {Show.Fixed(sel, 2)} (top class mean over the mean of all classes), {Show.Fixed(control, 2)} with shuffled labels.",
                new HeatmapSpec($"{layer}: channel × class", normalised, Enumerable.Range(1, m.Length).Select(k => $"c{k}").ToArray(), names.ToArray(), "class", "channel", "0.00"));
            var counts = Enumerable.Range(0, names.Count).Select(c => (double)Enumerable.Range(0, m.Length).Count(k => top[k] == c && m[k].Max() > 0)).ToArray();
            ctx.Figure($"top_class_{layer}", $"{layer}: how many of its {m.Length} channels have each class as their top class ({dead} channels never respond and are left out).",
                new BarChartSpec($"{layer}: top class of each channel", "class", "channels", names.ToArray(), [new BarSeries("channels", counts)]));
            shown.Expect(normalised.Length == model.ConvLayers.Single(l => l.Name == layer).Layer.weight!.shape[0], () => $"{layer}: {normalised.Length} rows shown");
            ctx.Observe($"{layer}: the top class of its {m.Length - dead} responding channels is {string.Join(", ", Enumerable.Range(0, names.Count).Select(c => $"{names[c]} for {Show.Count(counts[c])}"))}; "
                + $"their mean selectivity is {Show.Fixed(sel, 2)} against {Show.Fixed(control, 2)} with shuffled labels"
                + (sel > control ? ", so the channels do carry class information." : ": no more class information than chance."));
        }
        ctx.Check("association_computed", computed, $"per-class means of {Show.Count(images.Count)} images for {string.Join(", ", deeper)}; a second pass agrees within 1e-9; every layer is more selective with the true labels than with shuffled ones");
        ctx.Check("association_shown", shown.Expect(deeper.Count > 0, "no deeper layer"), $"association and top-class figures for {string.Join(", ", deeper)}");
        if (deeper.Count > 0) Silence(ctx, model, deeper[^1], first[deeper[^1]], test);
    }

    /// <summary>Per layer: channels × classes mean activation (float64 sums of each image's spatial mean).</summary>
    public static Dictionary<string, double[][]> Means(ConvNet model, ImageDataSet set, long[] labels, Device device, int batch, bool reverse)
    {
        var sums = new Dictionary<string, Tensor>();
        int classes = set.NumClasses;
        var order = Enumerable.Range(0, set.Count).Select(i => (long)i).ToArray();
        if (reverse) Array.Reverse(order);
        model.eval();
        using (no_grad())
            for (int from = 0; from < order.Length; from += batch)
            {
                using var scope = NewDisposeScope();
                var rows = order.Skip(from).Take(batch).ToArray();
                var x = set.Gather(tensor(rows)).to(device);
                var onehot = nn.functional.one_hot(tensor(rows.Select(r => labels[r]).ToArray()), classes).to_type(ScalarType.Float64).to(device);
                foreach (var (name, maps) in model.FeatureMaps(x))
                {
                    var perImage = maps.mean([2, 3]).to_type(ScalarType.Float64);          // N × C
                    var add = onehot.t().matmul(perImage);                                    // K × C
                    sums[name] = sums.TryGetValue(name, out var s) ? (s + add).MoveToOuterDisposeScope() : add.MoveToOuterDisposeScope();
                }
            }
        var count = Enumerable.Range(0, classes).Select(c => (double)labels.Count(l => l == c)).ToArray();
        return sums.ToDictionary(kv => kv.Key, kv =>
        {
            var kc = kv.Value.cpu().data<double>().ToArray();
            int channels = kc.Length / classes;
            kv.Value.Dispose();
            return Enumerable.Range(0, channels).Select(ch => Enumerable.Range(0, classes).Select(c => kc[c * channels + ch] / count[c]).ToArray()).ToArray();
        });
    }

    /// <summary>Each channel's class means divided by the layer's mean over channels for that class (0 where a class has none).</summary>
    public static Dictionary<string, double[][]> Relative(Dictionary<string, double[][]> means) => means.ToDictionary(kv => kv.Key, kv =>
    {
        var m = kv.Value;
        var perClass = Enumerable.Range(0, m[0].Length).Select(c => m.Average(row => row[c])).ToArray();
        return m.Select(row => row.Select((v, c) => perClass[c] > 0 ? v / perClass[c] : 0).ToArray()).ToArray();
    });

    /// <summary>Mean over responding channels of top-class value / mean over classes.</summary>
    public static double MeanSelectivity(double[][] m)
    {
        var live = m.Where(row => row.Max() > 0).ToList();
        return live.Count == 0 ? 1 : live.Average(row => row.Max() / row.Average());
    }

    /// <summary>
    /// For each class, sets the layer's channels whose top class it is to zero (weights, bias and batch-norm scale and
    /// shift), and measures every class's test recall: silencing a class's channels should hurt that class most.
    /// </summary>
    private static void Silence(RunContext ctx, ConvNet model, string layer, double[][] means, ImageDataSet test)
    {
        var names = test.ClassNames;
        var top = means.Select(row => row.Max() <= 0 ? -1 : Array.IndexOf(row, row.Max())).ToArray();
        var truth = test.LabelArray();
        double[] Recall() => Classification.PerClassAccuracy(Classification.ConfusionMatrix(Evaluation.Predict(model, test, ctx.Device), truth, names.Count));
        var before = Recall();
        var conv = model.ConvLayers.Single(l => l.Name == layer).Layer;
        var norm = model.named_children().FirstOrDefault(c => c.name == "bn" + layer[4..]).module as BatchNorm2d;
        var saved = ModelState.Snapshot(model);
        int specific = 0, tried = 0;
        var rows = new List<IReadOnlyList<string>>();
        for (int c = 0; c < names.Count; c++)
        {
            var channels = Enumerable.Range(0, top.Length).Where(k => top[k] == c).Select(k => (long)k).ToArray();
            if (channels.Length == 0) continue;
            using (no_grad())
            {
                var idx = tensor(channels);
                foreach (var t in new[] { conv.weight, conv.bias, norm?.weight, norm?.bias }) t?.index_fill_(0, idx.to(t.device), 0);
            }
            var after = Recall();
            ModelState.Restore(model, saved);
            double own = before[c] - after[c];
            double others = Enumerable.Range(0, names.Count).Where(o => o != c).Average(o => before[o] - after[o]);
            tried++; if (own > others) specific++;
            ctx.Value($"silenced_{c}_own_drop", own);
            ctx.Value($"silenced_{c}_other_drop", others);
            rows.Add([names[c], Show.Count(channels.Length), Show.Percent(before[c]), Show.Percent(after[c]), Show.Points(-own), Show.Points(-others)]);
        }
        ModelState.Dispose(saved);
        ctx.Value("silenced_specific_classes", specific);
        ctx.Table("silenced", $"Silencing the {layer} channels whose top class is a class: that class's test recall before and after, and the change of its recall against the mean change of the other classes (points).",
            ["class", "channels", "recall", "silenced", "change", "others' mean change"], rows);
        ctx.Observe($"Silencing a class's {layer} channels hurts that class more than the others on average for {Show.Word(specific)} of the {Show.Word(tried)} classes that have channels: "
            + (specific * 2 > tried ? "the association found from the activations is also causal for most classes." : "the association is weaker than the activations suggest: classes share channels."));
    }
}
