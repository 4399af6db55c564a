using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 1(a): generate the two-pentagon data (written and re-read as HW4_data.npy, NumPy v1.0), set up the threshold
/// MLP by hand and check that it classifies every one of the 60,000 points correctly.
/// </summary>
public sealed class Q1aThresholdMlp : TaskDefinition<Q1aThresholdMlp.Settings_>
{
    public sealed record Settings_(int Rows, int TrainRows, double BoxXMin, double BoxXMax, double BoxYMin, double BoxYMax, int GridCells);

    public const string DataArtifact = "data";
    public override int Revision => 2;
    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "1a";
    public override string Title => "A threshold MLP for the two pentagons";
    public override string SeedText => "The data set HW4_data.npy holds 60,000 points (x, y, label); the first 50,000 are for training, the rest for testing. Points inside either of the two pentagons (500,1000) (300,800) (400,600) (600,600) (700,800) and (500,600) (100,400) (300,200) (700,200) (900,400) have label 1. Manually set up an MLP with threshold activation (2 inputs, 10 hidden units, 2 hidden units, 1 output) and verify that all samples are classified correctly.";
    public override Settings_ Settings(Profile profile) =>
        new Settings_(Pentagons.Rows, Pentagons.TrainRows, Pentagons.XMin, Pentagons.XMax, Pentagons.YMin, Pentagons.YMax, GridCells: 200);

    /// <summary>Each class must hold at least this share of the points (and so at most 1 − it).</summary>
    private const double MinClassShare = 0.2;

    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("hw4.1a.npy", $"The generated data are written as a NumPy v1.0 .npy file ({Show.Count(Pentagons.Rows)} × 3 float64, C order) and read back through the validating reader unchanged.", 1, "npy_round_trip"),
        Requirement.Exactly("hw4.1a.train-rows", $"The number of training rows (the file's first; the remaining {Show.Count(Pentagons.Rows - Pentagons.TrainRows)} are test rows)", 0.5, "train_rows", Pentagons.TrainRows),
        Requirement.Holds("hw4.1a.both-classes", $"Both classes are well represented (each at least {Show.PercentBound(MinClassShare)} of the points).", 0.5, "classes_balanced"),
        Requirement.Exactly("hw4.1a.all-correct", $"The number of points the hand-set threshold MLP ({SigmoidPentagonMlp.Shape}) classifies correctly (all of them)", 3, "correct", Pentagons.Rows),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var generated = Pentagons.Generate(ctx.Seed, s.Rows);
        var path = ctx.Artifact(DataArtifact, "HW4_data.npy");
        NpyFile.Write(path, generated, s.Rows, 3);
        var (readBack, _) = NpyFile.Read(path);
        int firstDifference = Enumerable.Range(0, Math.Min(readBack.Length, generated.Length)).FirstOrDefault(i => !readBack[i].Equals(generated[i]), -1);
        ctx.Check("npy_round_trip", readBack.SequenceEqual(generated), readBack.Length != generated.Length
            ? $"{readBack.Length} values read back from {generated.Length} written"
            : firstDifference >= 0 ? $"value {firstDifference} (row {firstDifference / 3}) reads back as {readBack[firstDifference]:R}, written {generated[firstDifference]:R}"
            : $"{Show.Count(generated.Length)} float64 values ({Show.Count(s.Rows)} × 3) read back bit for bit from {Path.GetFileName(path)}");

        var data = Pentagons.Load(path);
        ctx.Value("train_rows", data.Train.Count);
        ctx.Value("test_rows", data.Test.Count);
        var all = data.All;
        var labels = all.Y.flatten().data<double>().ToArray();
        double positive = labels.Average();
        ctx.Value("positive_fraction", positive);
        ctx.Check("classes_balanced", positive >= MinClassShare && positive <= 1 - MinClassShare,
            $"{Show.Percent(positive, 1)} of the points are inside a pentagon, {Show.Percent(1 - positive, 1)} outside");

        using var model = new ThresholdPentagonMlp(Pentagons.Polygons);
        double[] predicted;
        using (no_grad()) predicted = model.call(all.X).flatten().data<double>().ToArray();
        int correct = predicted.Zip(labels).Count(p => p.First == p.Second);
        int trainCorrect = predicted.Take(s.TrainRows).Zip(labels.Take(s.TrainRows)).Count(p => p.First == p.Second);
        ctx.Value("correct", correct);
        ctx.Value("train_accuracy", (double)trainCorrect / s.TrainRows);
        ctx.Value("test_accuracy", (double)(correct - trainCorrect) / (s.Rows - s.TrainRows));

        var parameters = model.AllParameters();
        ctx.Value("param_min", parameters.Min());
        ctx.Value("param_max", parameters.Max());
        RecordWeights(ctx, model);

        using var grid = Pentagons.GridPoints(s.GridCells);
        double[] gridLabels;
        using (no_grad()) gridLabels = model.call(grid).flatten().data<double>().ToArray();
        ctx.Figure("decision_boundary", "1(a): the threshold MLP's predicted label (1 = inside) over the sampling box, with the true pentagons outlined.",
            new RegionMapSpec("Threshold MLP (1a)", s.BoxXMin, s.BoxXMax, s.BoxYMin, s.BoxYMax, Pentagons.ToRows(gridLabels, s.GridCells), Pentagons.Polygons));

        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"{100 * positive:0.0}% of the {s.Rows:N0} points lie inside a pentagon; the threshold MLP classifies {correct:N0} of {s.Rows:N0} correctly ({s.Rows - correct} errors)."));
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"The parameters range from {parameters.Min():N1} to {parameters.Max():N1}: the edge biases are products of coordinates in the hundreds, which is the range 1(b) draws its initial weights from."));
    }

    private static void RecordWeights(RunContext ctx, ThresholdPentagonMlp model)
    {
        var named = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<double>().ToArray());
        var w = named["edges.weight"]; var b = named["edges.bias"];
        var rows = new List<IReadOnlyList<string>>();
        int k = 0;
        var polygons = new[] { (Pentagons.Upper, "upper"), (Pentagons.Lower, "lower") };
        foreach (var (poly, name) in polygons)
            for (int i = 0; i < poly.Length; i++, k++)
            {
                var a = poly[i]; var c = poly[(i + 1) % poly.Length];
                rows.Add(new[] { $"h{k + 1}", $"{name}: ({a[0]:0},{a[1]:0})→({c[0]:0},{c[1]:0})",
                    w[2 * k].ToString("0", CultureInfo.InvariantCulture), w[2 * k + 1].ToString("0", CultureInfo.InvariantCulture), b[k].ToString("0", CultureInfo.InvariantCulture) });
            }
        // The AND and OR units as the model holds them: which inputs they weigh (non-zero weights), with what, and their bias.
        static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
        static string Weights(IEnumerable<double> ws) => ws.Distinct().Count() == 1 ? $"{Num(ws.First())} each" : string.Join(", ", ws.Select(Num));
        var andW = named["and.weight"]; var andB = named["and.bias"]; var orW = named["or.weight"]; var orB = named["or.bias"];
        int units = b.Length;
        for (int p = 0; p < polygons.Length; p++)
        {
            var inputs = Enumerable.Range(0, units).Where(j => andW[p * units + j] != 0).ToList();
            rows.Add(new[] { $"AND {polygons[p].Item2}", $"h{inputs[0] + 1}…h{inputs[^1] + 1}", Weights(inputs.Select(j => andW[p * units + j])), "", Num(andB[p]) });
        }
        rows.Add(new[] { "OR", string.Join(", ", polygons.Select(q => $"AND {q.Item2}")), Weights(orW), "", Num(orB[0]) });
        ctx.Table("weights", "1(a): the hand-set weights. A hidden unit fires (step(w·(x, y) + b) = 1, step(z) = [z ≥ 0]) on the inner side of its edge; coordinates in the file's units.",
            new[] { "unit", "edge / inputs", "w_x", "w_y", "bias" }, rows);
    }
}
