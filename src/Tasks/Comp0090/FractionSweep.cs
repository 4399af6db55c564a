namespace Harness.Tasks.Comp0090;

/// <summary>One way to start a network of a sweep: its name in the report ("random"), its key in the record, and how to build it (seeded, initialised).</summary>
public sealed record Init(InitName Name, Func<nn.Module<Tensor, Tensor>> Build)
{
    public string Key => Name.Key;
}

/// <summary>How an init is named: in the report ("encoder init") and in the record's series ("encoder_…").</summary>
public sealed record InitName(string Key, string Text)
{
    public override string ToString() => Text;
}

/// <summary>One training of a sweep: a share of FM-1's training images, an init, and the scores of the kept weights.</summary>
public sealed record SweepPoint(double Fraction, int Images, Init Init, Fitted Fit);

/// <summary>
/// The sweeps of 3.4 and 3.5: two inits of one network trained to convergence on 1/n, 2/n, …, n/n of FM-1's training
/// images (nested, stratified subsets), with the training and validation loss of both against the fraction, the
/// crossover (the fraction from which the init that was better at the smallest share stops having the lower
/// validation loss) and the final accuracies of each init's best model. Series per init key k: "{k}_train_loss",
/// "{k}_validation_loss", "{k}_test_loss", "{k}_train_accuracy", "{k}_validation_accuracy", "{k}_test_accuracy", "{k}_epochs".
/// </summary>
public static class FractionSweep
{
    /// <summary>Random stream of the nested subsets (one for every sweep, so 3.4 and 3.5 train on the same images).</summary>
    private const long SubsetStream = 0x5EE9;

    public static double[] Fractions(int count) => Enumerable.Range(1, count).Select(k => (double)k / count).ToArray();

    /// <summary>The nested subsets of <paramref name="train"/> (positions), checked: each inside the next, each class round(f · n).</summary>
    public static IReadOnlyList<long[]> Subsets(RunContext ctx, ImageDataSet train, double[] fractions)
    {
        var labels = train.LabelArray();
        var subsets = fractions.Select(f => NestedSubsets.Take(labels, f, ctx.Seed, SubsetStream)).ToList();
        var found = new Findings();
        var perClass = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        for (int i = 0; i < subsets.Count; i++)
        {
            int k = i;
            if (k > 0) found.Expect(!subsets[k - 1].Except(subsets[k]).Any(), () => $"{Show.PercentBound(fractions[k - 1])} is not inside {Show.PercentBound(fractions[k])}");
            foreach (var (label, n) in perClass)
            {
                int got = subsets[k].Count(r => labels[r] == label), expected = (int)Math.Round(fractions[k] * n, MidpointRounding.AwayFromZero);
                found.Expect(got == expected, () => $"{Show.PercentBound(fractions[k])}: class {label} has {got} images, {expected} expected");
            }
        }
        ctx.Check("fractions_nested", found, $"{subsets.Count} subsets from {Show.Count(subsets[0].Length)} to {Show.Count(subsets[^1].Length)} images, each inside the next, every class at its share");
        ctx.Series("fraction_images", subsets.Select(s => (double)s.Length));
        return subsets;
    }

    /// <summary>Trains every init on every subset (smallest first), each to convergence by <paramref name="fit"/>.</summary>
    public static List<SweepPoint> Run(RunContext ctx, string task, ImageDataSet train, double[] fractions, IReadOnlyList<long[]> subsets, IReadOnlyList<Init> inits,
        Func<nn.Module<Tensor, Tensor>, ImageDataSet, string, Fitted> fit)
    {
        var points = new List<SweepPoint>();
        for (int i = 0; i < fractions.Length; i++)
        {
            var part = train.Subset(subsets[i], $"{train.Name} {Show.PercentBound(fractions[i])}");
            foreach (var init in inits)
            {
                using var model = init.Build();
                var f = ctx.Timed("sweep", () => fit(model, part, $"{task} {init.Key} {Show.PercentBound(fractions[i])}"));
                points.Add(new SweepPoint(fractions[i], part.Count, init, f));
            }
            part.Images.Dispose(); part.Labels.Dispose();
        }
        return points;
    }

    /// <param name="convergence">how every training of the sweep was trained (the observations say which ones reached its cap)</param>
    public static void Record(RunContext ctx, IReadOnlyList<SweepPoint> points, IReadOnlyList<Init> inits, string network, Convergence convergence)
    {
        var fractions = points.Select(p => p.Fraction).Distinct().ToArray();
        var x = fractions.Select(f => 100 * f).ToArray();
        foreach (var init in inits)
        {
            var mine = points.Where(p => p.Init == init).ToList();
            ctx.Series(init.Key + "_train_loss", mine.Select(p => p.Fit.Scores.TrainLoss));
            ctx.Series(init.Key + "_validation_loss", mine.Select(p => p.Fit.Scores.ValidationLoss));
            ctx.Series(init.Key + "_test_loss", mine.Select(p => p.Fit.Scores.TestLoss));
            ctx.Series(init.Key + "_train_accuracy", mine.Select(p => p.Fit.Scores.TrainAccuracy));
            ctx.Series(init.Key + "_validation_accuracy", mine.Select(p => p.Fit.Scores.ValidationAccuracy));
            ctx.Series(init.Key + "_test_accuracy", mine.Select(p => p.Fit.Scores.TestAccuracy));
            ctx.Series(init.Key + "_epochs", mine.Select(p => (double)p.Fit.StoppedAt));
            var best = mine.MinBy(p => p.Fit.Scores.ValidationLoss)!;
            ctx.Value(init.Key + "_best_fraction", best.Fraction);
            best.Fit.Scores.Record(ctx, init.Key + "_best_");
            var capped = mine.Where(p => !p.Fit.Converged(convergence)).Select(p => Show.PercentBound(p.Fraction)).ToList();
            ctx.Value(init.Key + "_capped", capped.Count);
            ctx.Observe(capped.Count == 0
                ? $"{network}, {init.Name}: all {Show.Word(mine.Count)} trainings converged (validation loss not improved for {Show.Word(convergence.Patience)} epochs) within the cap of {convergence.MaxEpochs} epochs."
                : $"{network}, {init.Name}: {Show.Word(capped.Count)} of the {Show.Word(mine.Count)} trainings reached the cap of {convergence.MaxEpochs} epochs while the validation loss was still improving ({(capped.Count == 1 ? "share" : "shares")} {string.Join(", ", capped)}); {(capped.Count == 1 ? "it is" : "they are")} a little short of convergence.");
        }
        ctx.Figure("loss_vs_fraction", $"{network}: training and validation loss (plain cross-entropy of the kept weights) against the share of FM-1's training images, for both inits.",
            new LineChartSpec($"{network}: loss against training data", "share of FM-1 training images (%)", "cross-entropy loss",
                inits.SelectMany(i => new LineSeries[]
                {
                    new($"{i.Name}: training", x, points.Where(p => p.Init == i).Select(p => p.Fit.Scores.TrainLoss).ToArray()),
                    new($"{i.Name}: validation", x, points.Where(p => p.Init == i).Select(p => p.Fit.Scores.ValidationLoss).ToArray()),
                }).ToList()));
        ctx.Figure("accuracy_vs_fraction", $"{network}: validation and test accuracy against the share of FM-1's training images, for both inits.",
            new LineChartSpec($"{network}: accuracy against training data", "share of FM-1 training images (%)", "accuracy (%)",
                inits.SelectMany(i => new LineSeries[]
                {
                    new($"{i.Name}: validation", x, points.Where(p => p.Init == i).Select(p => 100 * p.Fit.Scores.ValidationAccuracy).ToArray()),
                    new($"{i.Name}: test", x, points.Where(p => p.Init == i).Select(p => 100 * p.Fit.Scores.TestAccuracy).ToArray()),
                }).ToList()));
        ctx.Table("sweep", $"{network}: every training of the sweep (validation loss decides the kept epoch and the best model of each init).",
            ["share", "images", "init", "epochs", "train loss", "val. loss", "test loss", "val. acc.", "test acc."],
            points.Select(p => (IReadOnlyList<string>)[Show.PercentBound(p.Fraction), Show.Count(p.Images), p.Init.Name.Text, p.Fit.StoppedAt.ToString(CultureInfo.InvariantCulture),
                Show.Fixed(p.Fit.Scores.TrainLoss), Show.Fixed(p.Fit.Scores.ValidationLoss), Show.Fixed(p.Fit.Scores.TestLoss),
                Show.Percent(p.Fit.Scores.ValidationAccuracy), Show.Percent(p.Fit.Scores.TestAccuracy)]));
        ctx.Table("best_models", $"{network}: the best model of each init (lowest validation loss over the sweep) and its final accuracies.",
            ["init", "share", "train acc.", "val. acc.", "test acc."],
            inits.Select(i => points.Where(p => p.Init == i).MinBy(p => p.Fit.Scores.ValidationLoss)!)
                .Select(p => (IReadOnlyList<string>)[p.Init.Name.Text, Show.PercentBound(p.Fraction), Show.Percent(p.Fit.Scores.TrainAccuracy), Show.Percent(p.Fit.Scores.ValidationAccuracy), Show.Percent(p.Fit.Scores.TestAccuracy)]));

        var (a, b) = (inits[0], inits[1]);
        var crossover = Crossover(fractions, Series(points, a), Series(points, b));
        ctx.Value("crossover_fraction", crossover.Fraction ?? 0);
        ctx.Value("sign_changes", crossover.SignChanges);
        ctx.Observe(Statement(crossover, a.Name.Text, b.Name.Text));
    }

    private static double[] Series(IReadOnlyList<SweepPoint> points, Init init) => points.Where(p => p.Init == init).Select(p => p.Fit.Scores.ValidationLoss).ToArray();

    /// <summary>Which init is better at the smallest share, the first share where it no longer is (null: never), and how often the lead changes.</summary>
    public sealed record CrossoverResult(double[] Fractions, bool FirstBetterAtStart, double? Fraction, int SignChanges);

    /// <summary>From the validation losses of two inits over the fractions: "better" is the strictly lower validation loss.</summary>
    public static CrossoverResult Crossover(double[] fractions, double[] first, double[] second)
    {
        bool FirstBetter(int i) => first[i] < second[i];
        bool start = FirstBetter(0);
        int at = Enumerable.Range(0, fractions.Length).FirstOrDefault(i => FirstBetter(i) != start, -1);
        int changes = Enumerable.Range(1, fractions.Length - 1).Count(i => FirstBetter(i) != FirstBetter(i - 1));
        return new CrossoverResult(fractions, start, at < 0 ? null : fractions[at], changes);
    }

    /// <summary>The report's sentence on the crossover, generated from the numbers.</summary>
    public static string Statement(CrossoverResult c, string first, string second)
    {
        var (leader, other) = c.FirstBetterAtStart ? (first, second) : (second, first);
        var lead = $"At {Show.PercentBound(c.Fractions[0])} of the training images the {leader} has the lower validation loss";
        if (c.Fraction is not { } f) return $"{lead}, and it keeps it at every share up to {Show.PercentBound(c.Fractions[^1])}: no crossover.";
        return $"{lead}; from {Show.PercentBound(f)} on it stops being better (crossover at {Show.PercentBound(f)}: the {other}'s validation loss is as low or lower there)"
            + (c.SignChanges > 1 ? $", and the lead changes {Show.Word(c.SignChanges)} times in all over the shares." : ".");
    }

    /// <summary>The requirements every sweep has: nested shares, both curves complete, and the crossover as the numbers give it.</summary>
    public static IEnumerable<Requirement> Requirements(string task, InitName pretrained, InitName random, int fullFractions, int smokeFractions,
        double nestedPoints, double curvesPoints, double crossoverPoints) =>
    [
        Requirement.Holds($"comp0090.{task}.nested", $"The shares of FM-1's training images ({fullFractions} at full, {smokeFractions} at smoke) are stratified and nested (each inside the next).", nestedPoints, "fractions_nested"),
        CurvesRequirement($"comp0090.{task}.curves", "Training and validation loss of both inits are recorded and plotted at every share.", curvesPoints, [random, pretrained], fullFractions, smokeFractions),
        CrossoverRequirement($"comp0090.{task}.crossover", "The crossover stated in the report is the one the recorded validation losses give.", crossoverPoints, [pretrained, random]),
    ];

    /// <summary>Judged from the record: both inits have a value for every fraction of the profile, and the loss figure is recorded.</summary>
    public static Requirement CurvesRequirement(string id, string text, double points, InitName[] inits, int fullFractions, int smokeFractions) => new(id, text, points, r =>
    {
        int fractions = r.Key.Profile == Profile.Full ? fullFractions : smokeFractions;
        var found = new Findings();
        var keys = inits.Select(i => i.Key).ToArray();
        foreach (var k in keys)
            foreach (var s in new[] { "_train_loss", "_validation_loss" })
                found.Expect(r.Series.TryGetValue(k + s, out var v) && v.Length == fractions && v.All(double.IsFinite), () => $"{k}{s}: {(r.Series.TryGetValue(k + s, out var v2) ? v2.Length : 0)} values");
        found.Expect(r.Figures.Any(f => f.Id == "loss_vs_fraction"), "no loss figure");
        return Verdict.Of(found.Holds, found.Holds ? $"{fractions} fractions" : "incomplete", $"{fractions} each", found.Finding($"{string.Join(" and ", keys)}: training and validation loss at all {fractions} fractions, plotted"));
    }) { Value = inits[0].Key + "_validation_loss" };

    /// <summary>Judged from the record: the observation states the crossover the recorded validation losses give.</summary>
    public static Requirement CrossoverRequirement(string id, string text, double points, InitName[] inits) => new(id, text, points, r =>
    {
        var a = r.Series[inits[0].Key + "_validation_loss"];
        var b = r.Series[inits[1].Key + "_validation_loss"];
        var fractions = r.Series["fraction_images"].Select((_, i) => (double)(i + 1) / a.Length).ToArray();
        var c = Crossover(fractions, a, b);
        var statement = Statement(c, inits[0].Text, inits[1].Text);
        bool stated = r.Observations.Contains(statement) && r.Value("crossover_fraction") == (c.Fraction ?? 0);
        return Verdict.Of(stated, c.Fraction is { } f ? Show.PercentBound(f) : "none", "as recorded", stated ? statement : $"the record does not state: {statement}");
    }) { Value = "crossover_fraction" };
}
