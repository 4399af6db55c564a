using Harness.Core.Experiments;
using Harness.Tasks.Ece4179.Models;

namespace Harness.Tasks.Ece4179;

/// <summary>
/// Q3: occlusion sensitivity (Zeiler and Fergus 2014, §4.2) of the shallow CNN for the most confident correct (1.2)
/// and wrong (1.3) validation image of every class: a grey square slid over the image, the true class's softmax score
/// on every occluded copy (computed in batches) as a heat map, and whether the most sensitive patch matters more than a
/// random one.
/// </summary>
public sealed class Q3Occlusion : Ece4179Task<Q3Occlusion.Settings_>
{
    public sealed record Settings_(string Data, int Patch, int Stride, float Fill, int BatchSize, int RandomPatches);

    /// <summary>Largest difference allowed between a score computed in a batch and alone (float rounding).</summary>
    public const double Tolerance = 1e-5;

    public override string Id => "3";
    public override string Title => "Occlusion sensitivity";
    public override string SeedText => "Following Zeiler and Fergus (Section 4.2), occlude different portions of the input image with a grey square and monitor the output of the classifier: for images of Q1.2 and Q1.3, plot the probability of the correct class as a function of the position of the grey square, and discuss what the network relies on.";
    public override IReadOnlyList<string> DependsOn => ["1.1", "1.2", "1.3"];

    public override Settings_ Settings(Profile profile, string data) => profile == Profile.Full
        ? new(data, Patch: 24, Stride: 8, Fill: 0.5f, BatchSize: 64, RandomPatches: 8)
        : new(data, Patch: 24, Stride: 12, Fill: 0.5f, BatchSize: 64, RandomPatches: 8);

    /// <summary>One forward pass per patch position and random patch, for each of the (same number of) images at both profiles.</summary>
    protected override double? Work(Settings_ s) => WorkVolume.Evaluation(Occlusion.Grid(Stl10Catalog.Side, s.Patch, s.Stride).Count + s.RandomPatches);

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        Settings_ full = Settings(Profile.Full), smoke = Settings(Profile.Smoke);
        int Side(Settings_ s) => Occlusion.Grid(Stl10Catalog.Side, s.Patch, s.Stride).Count;
        return
        [
            Requirement.Holds("ece4179.3.heatmaps", $"For the most confident correct and wrong validation image of every class (1.2, 1.3), a {full.Patch}×{full.Patch} patch of grey {full.Fill:0.0#} is slid with stride {full.Stride} (smoke: {smoke.Stride}) over the pixels in [0, 1]: a heat map of the true class's softmax score with one value in [0, 1] per position ({Side(full)}; smoke: {Side(smoke)}).", 2, "heatmaps_ok"),
            Requirement.Holds("ece4179.3.batched", $"The occluded copies are classified in batches of {full.BatchSize}, and agree with occluding one copy at a time (within {Tolerance:0e0}).", 3, "batched_equals_single"),
            Requirement.Holds("ece4179.3.consistent", "Without a patch, every image gets the score 1.2/1.3 recorded for it.", 2, "consistent_with_1_2_1_3"),
            Requirement.Holds("ece4179.3.sensitive", $"Occluding the most sensitive patch lowers the true-class score more than occluding a random patch ({full.RandomPatches} per image, anywhere), on average over the images.", 8, "sensitive_beats_random"),
        ];
    }

    private sealed record Example(string Source, int Row, int Class, int Predicted, float Score);

    private sealed record Measured(Example Image, float Unoccluded, float TrueScore, float[] Heat, int Sensitive, float SensitiveAlone, int Probe, float ProbeAlone, float[] Random);

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var shallow = ctx.Dependency<Q1_1ShallowCnn>();
        var data = Ece4179Data.Load(ctx, shallow.Task.Settings(ctx.Options).Split, normalise: false);
        var names = data.Validation.ClassNames;
        using var model = Ece4179Training.Load(ctx, new ShallowCnn(), shallow.Record, shallow.Folder);
        var examples = Examples(ctx.Dependency<Q1_2ConfidentHits>().Record, "1.2").Concat(Examples(ctx.Dependency<Q1_3ConfidentMisses>().Record, "1.3")).ToList();
        var positions = Occlusion.Grid(Stl10Catalog.Side, s.Patch, s.Stride);
        int n = (int)Math.Round(Math.Sqrt(positions.Count));

        var measured = ctx.Timed("occlusion", () => examples.Select((e, i) =>
        {
            using var scope = NewDisposeScope();
            var image = data.Validation.Gather(tensor(new long[] { e.Row }))[0].to(ctx.Device);
            var heat = Occlusion.Scores(model, image, e.Class, positions, s.Patch, s.Fill, s.BatchSize);
            int sensitive = Array.IndexOf(heat, heat.Min());
            var rng = new SeededRandom(ctx.Seed, 0x0cc1, i);
            int probe = rng.NextInt(positions.Count);
            var random = Enumerable.Range(0, s.RandomPatches).Select(_ => (rng.NextInt(Stl10Catalog.Side - s.Patch + 1), rng.NextInt(Stl10Catalog.Side - s.Patch + 1))).ToList();
            float Alone(int k) => Occlusion.Scores(model, image, e.Class, [positions[k]], s.Patch, s.Fill, 1)[0];
            return new Measured(e, Occlusion.Score(model, image, e.Predicted), Occlusion.Score(model, image, e.Class), heat, sensitive, Alone(sensitive), probe, Alone(probe),
                Occlusion.Scores(model, image, e.Class, random, s.Patch, s.Fill, 1));
        }).ToList());

        var maps = new Findings();
        var batched = new Findings();
        var consistent = new Findings();
        foreach (var m in measured)
        {
            var where = $"{m.Image.Source} {names[m.Image.Class]} (validation image {m.Image.Row})";
            maps.Expect(m.Heat.Length == positions.Count && m.Heat.All(v => float.IsFinite(v) && v is >= 0 and <= 1), () => $"{where}: the heat map has {m.Heat.Length} values, not {positions.Count} in [0, 1]");
            foreach (var (k, alone) in new[] { (m.Sensitive, m.SensitiveAlone), (m.Probe, m.ProbeAlone) })
                batched.Expect(Math.Abs(alone - m.Heat[k]) <= Tolerance, () => $"{where}, patch at {positions[k]}: {m.Heat[k]:0.000000} in a batch, {alone:0.000000} alone");
            consistent.Expect(Math.Abs(m.Unoccluded - m.Image.Score) <= Tolerance, () => $"{where}: score {m.Unoccluded:0.000000}, {m.Image.Source} recorded {m.Image.Score:0.000000}");
        }
        ctx.Check("heatmaps_ok", maps, $"{measured.Count} heat maps of {n}×{n} positions, every value a probability");
        ctx.Check("batched_equals_single", batched, $"for every image, the most sensitive and one random grid position occluded alone give the batched score within {Tolerance:0e0}");
        ctx.Check("consistent_with_1_2_1_3", consistent, $"the {measured.Count} unoccluded scores are 1.2's and 1.3's within {Tolerance:0e0}");

        var trueScore = measured.Select(m => (double)m.TrueScore).ToArray();
        var dropSensitive = measured.Select((m, i) => trueScore[i] - m.SensitiveAlone).ToArray();
        var dropRandom = measured.Select((m, i) => trueScore[i] - m.Random.Average(v => (double)v)).ToArray();
        double meanSensitive = dropSensitive.DefaultIfEmpty(0).Average(), meanRandom = dropRandom.DefaultIfEmpty(0).Average();
        ctx.Value("images", measured.Count);
        ctx.Value("positions", positions.Count);
        ctx.Value("mean_drop_sensitive", meanSensitive);
        ctx.Value("mean_drop_random", meanRandom);
        int wins = Enumerable.Range(0, measured.Count).Count(i => dropSensitive[i] > dropRandom[i]);
        ctx.Check("sensitive_beats_random", new Findings()
                .Expect(measured.Count > 0, "no images to occlude")
                .Expect(meanSensitive > meanRandom, () => $"mean drop {meanSensitive:0.0000} at the most sensitive patch, {meanRandom:0.0000} at random patches"),
            $"the true-class score falls by {meanSensitive:0.0000} on average at the most sensitive patch and by {meanRandom:0.0000} at random patches ({wins} of {measured.Count} images individually)");

        ctx.Table("occlusion", $"Per image: the true-class score without a patch, its lowest value on the heat map (patch top-left corner y, x), and the drops at that patch and at {Show.Word(s.RandomPatches)} random patches (mean).",
            new[] { "image", "class", "predicted", "score", "lowest (at)", "drop, most sensitive", "drop, random" },
            measured.Select((m, i) => (IReadOnlyList<string>)new[]
            {
                $"{m.Image.Source} #{m.Image.Row}", names[m.Image.Class], names[m.Image.Predicted], Show.Fixed(trueScore[i], 3),
                $"{Show.Fixed(m.Heat[m.Sensitive], 3)} ({positions[m.Sensitive].Y}, {positions[m.Sensitive].X})", Show.Fixed(dropSensitive[i], 3), Show.Fixed(dropRandom[i], 3),
            }));

        foreach (var source in new[] { "1.2", "1.3" })
        {
            var panels = new List<GridImage>();
            foreach (var (m, i) in measured.Select((m, i) => (m, i)).Where(x => x.m.Image.Source == source))
            {
                using var scope = NewDisposeScope();
                var pixels = data.Display(data.Validation.Gather(tensor(new long[] { m.Image.Row }))[0]);
                Outline(pixels, positions[m.Sensitive], s.Patch);
                panels.Add(new GridImage($"{names[m.Image.Class]} {trueScore[i]:0.00}", pixels));
                panels.Add(new GridImage($"lowest {m.Heat[m.Sensitive]:0.00}", HeatImage(m.Heat, n, s.Patch, s.Stride)));
            }
            if (panels.Count == 0) continue;
            var what = source == "1.2" ? "most confident correct" : "most confident wrong";
            ctx.Figure($"occlusion_{source.Replace('.', '_')}", $"Occlusion sensitivity of the {what} validation image of each class ({source}): each image (with its true class and true-class score; the white square marks the most sensitive patch) and beside it the true-class softmax score with a {s.Patch}×{s.Patch} grey patch ({s.Fill:0.0#}) at each of the {n}×{n} positions of stride {s.Stride}, from dark blue (0) to yellow (1).",
                new ImageGridSpec($"Occlusion sensitivity ({source})", Stl10Catalog.Side, Stl10Catalog.Side, Stl10Catalog.Channels, 6, panels));
        }

        if (measured.Count > 0)
        {
            var hits = Enumerable.Range(0, measured.Count).Where(i => measured[i].Image.Source == "1.2").ToList();
            ctx.Observe($"On average the most sensitive patch lowers the true-class score by {meanSensitive:0.000}, a random patch by {meanRandom:0.000}; for {Show.Word(wins)} of the {Show.Word(measured.Count)} images the most sensitive patch matters more.");
            if (hits.Count > 0)
                ctx.Observe($"For the confident correct images the score stays at {hits.Average(i => (double)measured[i].Heat.Average()):0.000} on average over all patch positions (from {hits.Average(i => trueScore[i]):0.000} without a patch): the network's evidence is local, and covering it where the object is costs most.");
        }
    }

    /// <summary>The first (most confident) shown image of every class in a 1.2/1.3 record.</summary>
    private static IEnumerable<Example> Examples(RunRecord r, string source)
    {
        var rows = r.Series["shown_rows"]; var classes = r.Series["shown_classes"]; var predicted = r.Series["shown_predicted"]; var scores = r.Series["shown_scores"];
        return Enumerable.Range(0, rows.Length).GroupBy(i => classes[i]).Select(g => g.First())
            .Select(i => new Example(source, (int)rows[i], (int)classes[i], (int)predicted[i], (float)scores[i]));
    }

    /// <summary>Draws a one-pixel white square around a patch into channel-planar display pixels.</summary>
    private static void Outline(float[] pixels, (int Y, int X) at, int patch)
    {
        const int side = Stl10Catalog.Side, plane = side * side;
        for (int t = 0; t < patch; t++)
            foreach (var (y, x) in new[] { (at.Y, at.X + t), (at.Y + patch - 1, at.X + t), (at.Y + t, at.X), (at.Y + t, at.X + patch - 1) })
                for (int c = 0; c < 3; c++) pixels[c * plane + y * side + x] = 1;
    }

    /// <summary>The heat map as a 96×96 colour image: each pixel takes the score of the patch position whose centre is nearest.</summary>
    private static float[] HeatImage(float[] heat, int n, int patch, int stride)
    {
        const int side = Stl10Catalog.Side, plane = side * side;
        var pixels = new float[3 * plane];
        int Cell(int v) => Math.Clamp((int)Math.Round((v + 0.5 - patch / 2.0) / stride), 0, n - 1);
        for (int y = 0; y < side; y++)
            for (int x = 0; x < side; x++)
            {
                var (r, g, b) = Occlusion.Colour(heat[Cell(y) * n + Cell(x)]);
                pixels[y * side + x] = MathF.Round(r * 100) / 100; pixels[plane + y * side + x] = MathF.Round(g * 100) / 100; pixels[2 * plane + y * side + x] = MathF.Round(b * 100) / 100;
            }
        return pixels;
    }
}
