using Harness.Tasks.Ece4179.Models;

namespace Harness.Tasks.Ece4179;

/// <summary>
/// Q1.2 and Q1.3: for each class, the five validation images of that class that the shallow CNN of 1.1 classifies
/// correctly (or wrongly) with the highest softmax score — the score of the predicted class, which for a mistake is
/// the wrong class's. What is shown is then checked against a second copy of the saved model: each image is classified
/// as claimed with the score shown, and its score is among the five highest of its class.
/// </summary>
public static class ConfidentExamples
{
    public const int PerClass = 5;
    /// <summary>Largest difference allowed between a score and its recomputation in other batches (float rounding).</summary>
    public const double Tolerance = 1e-5;

    /// <summary>One shown image: its true class, its row in the validation part, the predicted class and that class's softmax score.</summary>
    public sealed record Shown(int Class, int Row, int Predicted, float Score);

    private static string Kind(bool correct) => correct ? "correctly classified" : "misclassified";

    public static IEnumerable<Requirement> Requirements(string task, bool correct) =>
    [
        Requirement.Holds($"ece4179.{task}.grid", $"The grid has one row per class of the {Show.Word(PerClass)} {Kind(correct)} validation images of that class with the highest {(correct ? "" : "(wrong) ")}softmax score (fewer only where the class has fewer), with true and predicted labels and scores.", 1, "grid_ok"),
        Requirement.Holds($"ece4179.{task}.claimed", $"Every shown image is {Kind(correct)}, as predicted and with the score shown, when recomputed from 1.1's saved model (within {Tolerance:0e0}).", 3, "claims_hold"),
        Requirement.Holds($"ece4179.{task}.top-five", $"Every shown image's score is among the {Show.Word(PerClass)} highest of the {Kind(correct)} validation images of its class, recomputed from the saved model over the whole validation part.", 3, "top_scores"),
    ];

    /// <summary>For each class, the <paramref name="k"/> images of that class (correct or not) with the highest predicted-class score; ties by row.</summary>
    public static List<Shown>[] Select(float[][] probabilities, long[] truth, bool correct, int classes, int k) =>
        Enumerable.Range(0, classes).Select(c => Candidates(probabilities, truth, correct, c).Take(k).ToList()).ToArray();

    private static IEnumerable<Shown> Candidates(float[][] probabilities, long[] truth, bool correct, int c) =>
        Enumerable.Range(0, truth.Length)
            .Where(i => truth[i] == c && (Ece4179Training.ArgMax(probabilities[i]) == c) == correct)
            .Select(i => { int p = Ece4179Training.ArgMax(probabilities[i]); return new Shown(c, i, p, probabilities[i][p]); })
            .OrderByDescending(s => s.Score).ThenBy(s => s.Row);

    public static void Run(RunContext ctx, bool correct)
    {
        var shallow = ctx.Dependency<Q1_1ShallowCnn>();
        var data = Ece4179Data.Load(ctx, shallow.Task.Settings(ctx.Options).Split, normalise: false);
        var names = data.Validation.ClassNames;
        int classes = names.Count;
        var truth = data.Validation.LabelArray();
        using var model = Ece4179Training.Load(ctx, new ShallowCnn(), shallow.Record, shallow.Folder);
        var shown = Select(Ece4179Training.Probabilities(model, data.Validation, ctx.Device), truth, correct, classes, PerClass);
        ctx.Value("validation_images", truth.Length);
        ctx.Value("shown_images", shown.Sum(s => s.Count));

        Verify(ctx, shallow, data, shown, correct);
        Record(ctx, data, shown, correct, names);
    }

    /// <summary>The claims checked against a second copy of the saved model, with other batches than the selection used.</summary>
    private static void Verify(RunContext ctx, TaskRun<Q1_1ShallowCnn> shallow, Stl10Parts data, List<Shown>[] shown, bool correct)
    {
        var names = data.Validation.ClassNames;
        var truth = data.Validation.LabelArray();
        using var again = Ece4179Training.Load(ctx, new ShallowCnn(), shallow.Record, shallow.Folder);
        var all = shown.SelectMany(s => s).ToList();
        var claims = new Findings();
        if (all.Count > 0)
        {
            using var scope = NewDisposeScope();
            using var idx = tensor(all.Select(s => (long)s.Row).ToArray(), dtype: ScalarType.Int64);
            float[] flat;
            using (no_grad()) flat = nn.functional.softmax(again.call(data.Validation.Gather(idx).to(ctx.Device)), 1).cpu().data<float>().ToArray();
            for (int i = 0; i < all.Count; i++)
            {
                var p = flat.AsSpan(i * names.Count, names.Count).ToArray();
                int predicted = Ece4179Training.ArgMax(p);
                var s = all[i];
                claims.Expect((predicted == truth[s.Row]) == correct && predicted == s.Predicted,
                        () => $"{names[s.Class]}, validation image {s.Row}: predicted {names[predicted]}, shown as {names[s.Predicted]}")
                    .Expect(Math.Abs(p[s.Predicted] - s.Score) <= Tolerance,
                        () => $"{names[s.Class]}, validation image {s.Row}: score {p[s.Predicted]:0.000000}, shown {s.Score:0.000000}");
            }
        }
        ctx.Check("claims_hold", claims, $"all {all.Count} shown images recomputed in one batch from a second copy of the saved model: {Kind(correct)} as shown, scores within {Tolerance:0e0}");

        // The ranking recomputed over the whole validation part, in batches of another size.
        var probabilities = Ece4179Training.Probabilities(again, data.Validation, ctx.Device, batchSize: 50);
        var recomputed = Select(probabilities, truth, correct, names.Count, int.MaxValue);
        var ranks = new Findings();
        var grid = new Findings();
        for (int c = 0; c < names.Count; c++)
        {
            int cls = c;
            var candidates = recomputed[c];
            grid.Expect(shown[c].Count == Math.Min(PerClass, candidates.Count),
                () => $"{names[cls]}: {shown[cls].Count} images shown, but {candidates.Count} are {Kind(correct)}");
            if (shown[c].Count == 0) continue;
            float cut = candidates[Math.Min(PerClass, candidates.Count) - 1].Score;
            foreach (var s in shown[c])
                ranks.Expect(probabilities[s.Row][s.Predicted] >= cut - Tolerance,
                    () => $"{names[cls]}, validation image {s.Row}: score {probabilities[s.Row][s.Predicted]:0.000000} is below the {Show.Word(PerClass)}th highest, {cut:0.000000}");
        }
        ctx.Check("grid_ok", grid, $"{names.Count} rows of at most {PerClass}: every class shows min({PerClass}, its {Kind(correct)} images) images");
        ctx.Check("top_scores", ranks, $"every shown score is at least the {Show.Word(PerClass)}th highest of its class among the {Show.Count(truth.Length)} validation images, recomputed in batches of 50");
    }

    private static void Record(RunContext ctx, Stl10Parts data, List<Shown>[] shown, bool correct, IReadOnlyList<string> names)
    {
        var images = new List<GridImage>();
        var blank = Enumerable.Repeat(1f, Stl10Catalog.ImageBytes).ToArray();
        foreach (var row in shown)
        {
            foreach (var s in row)
            {
                using var scope = NewDisposeScope();
                var image = data.Validation.Gather(tensor(new long[] { s.Row }))[0];
                var label = correct ? $"{names[s.Class]} {s.Score:0.000}" : $"{names[s.Class]}→{names[s.Predicted]} {s.Score:0.000}";
                images.Add(new GridImage(label, data.Display(image)));
            }
            for (int k = row.Count; k < PerClass; k++) images.Add(new GridImage("(none)", blank));
        }
        int missing = shown.Sum(r => PerClass - r.Count);
        var caption = correct
            ? $"For each class (rows, top to bottom: {string.Join(", ", names)}), the {Show.Word(PerClass)} validation images the shallow CNN of 1.1 classifies correctly with the highest softmax score, with that score."
            : $"For each true class (rows, top to bottom: {string.Join(", ", names)}), the {Show.Word(PerClass)} misclassified validation images with the highest softmax score of the wrong predicted class: true → predicted, score.";
        if (missing > 0) caption += $" {Show.Count(missing)} empty cell(s): those classes have fewer such images.";
        ctx.Figure(correct ? "confident_hits" : "confident_misses", caption,
            new ImageGridSpec(correct ? "Most confident correct predictions" : "Most confident mistakes", Stl10Catalog.Side, Stl10Catalog.Side, Stl10Catalog.Channels, PerClass, images));

        ctx.Table("shown", $"The images shown: validation row, {(correct ? "" : "predicted class, ")}softmax score.",
            correct ? new[] { "class", "images", "rows", "scores" } : new[] { "class", "images", "rows", "predicted", "scores" },
            shown.Select((row, c) =>
            {
                var cells = new List<string> { names[c], Show.Count(row.Count), string.Join(", ", row.Select(s => s.Row)) };
                if (!correct) cells.Add(string.Join(", ", row.Select(s => names[s.Predicted])));
                cells.Add(string.Join(", ", row.Select(s => s.Score.ToString("0.000", CultureInfo.InvariantCulture))));
                return (IReadOnlyList<string>)cells;
            }));
        var all = shown.SelectMany(s => s).ToList();
        ctx.Series("shown_rows", all.Select(s => (double)s.Row));
        ctx.Series("shown_classes", all.Select(s => (double)s.Class));
        ctx.Series("shown_predicted", all.Select(s => (double)s.Predicted));
        ctx.Series("shown_scores", all.Select(s => (double)s.Score));
        if (all.Count > 0)
        {
            var lowest = all.MinBy(s => s.Score)!;
            ctx.Value("lowest_shown_score", lowest.Score);
            ctx.Observe($"The shown scores range from {all.Max(s => s.Score):0.000} down to {lowest.Score:0.000} ({names[lowest.Class]}, validation image {lowest.Row}).");
        }
        if (!correct && all.Count > 0)
        {
            var pairs = all.GroupBy(s => (s.Class, s.Predicted)).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First();
            ctx.Observe($"The most frequent confident mistake among those shown is {names[pairs.Key.Class]} taken for {names[pairs.Key.Predicted]} ({Show.Word(pairs.Count())} of the {Show.Count(all.Count)} images).");
        }
    }
}
