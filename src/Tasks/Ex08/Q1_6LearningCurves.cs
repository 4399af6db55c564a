namespace Harness.Tasks.Ex08;

/// <summary>Q1.6: loss and accuracy per epoch of the four networks of Q1.2–Q1.5, on the training and on the test set, read from their records.</summary>
public sealed class Q1_6LearningCurves : TaskDefinition<Q1_6LearningCurves.Settings_>
{
    /// <summary>One curve set: the task whose record holds it and the prefix of its series.</summary>
    public sealed record Case(string Name, string Task, string Prefix);
    public sealed record Settings_(Case[] Cases);

    private static readonly Case[] Cases =
    {
        new("baseline (Q1.2)", "1.2", ""),
        new("augmentation (Q1.3)", "1.3", ""),
        new("batch norm (Q1.4)", "1.4", ""),
        new("MNIST fine-tuned, fc2 only (Q1.5)", "1.5", "finetune_"),
    };

    public override string Assignment => Ex08Assignment.AssignmentId;
    public override string Id => "1.6";
    public override string Title => "Learning curves of the four networks";
    public override string SeedText => "Visualize how the loss and accuracy of the network is changing over the time for each of 4 above cases. Make two plots: for training and test sets.";
    public override IReadOnlyList<string> DependsOn => Cases.Select(c => c.Task).ToArray();
    /// <summary>2: the summary's caption explains the sign of the train − test gap.</summary>
    public override int Revision => 2;
    public override Settings_ Settings(Profile profile) => new Settings_(Cases);

    protected override double? Work(Settings_ s) => WorkVolume.Constant;

    protected override IEnumerable<Requirement> DeclareRequirements() => new[]
    {
        Requirement.Holds("ex08.1.6.figures", $"The training-set and test-set plots (loss and accuracy per epoch) exist, each with the {Cases.Length} cases as labelled curves, axis labels and a legend.", 2, "figures_ok"),
        new Requirement("ex08.1.6.best-named", "The report names the best method by its best-epoch test accuracy.", 1, r =>
        {
            var best = r.Value("best_case_test_accuracy");
            var all = Enumerable.Range(1, Cases.Length).Select(i => r.Value($"case{i}_best_test_accuracy")).ToArray();
            var named = r.Observations.FirstOrDefault(o => o.StartsWith("Best method", StringComparison.Ordinal));
            return Verdict.Of(named is not null && best == all.Max(), named ?? "no sentence naming the best method",
                "the case with the highest best-epoch test accuracy named");
        }),
    };

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var records = s.Cases.Select(c => (Case: c, Record: ctx.Dependency(c.Task).Record)).ToList();
        var found = new Findings();
        foreach (var (set, setName) in new[] { ("train", "training"), ("test", "test") })
        {
            var loss = new List<LineSeries>();
            var acc = new List<LineSeries>();
            foreach (var (c, r) in records)
            {
                var l = r.Series[c.Prefix + set + "_loss"];
                var a = r.Series[c.Prefix + set + "_accuracy"];
                var epochs = Enumerable.Range(1, l.Length).Select(e => (double)e).ToArray();
                loss.Add(new LineSeries(c.Name, epochs, l));
                acc.Add(new LineSeries(c.Name, epochs, a.Select(v => 100 * v).ToArray()));
                found.Expect(l.Length > 0 && l.Length == a.Length && l.All(double.IsFinite), () => $"{c.Name}: {l.Length} losses, {a.Length} accuracies, finite: {l.All(double.IsFinite)}");
            }
            var lossChart = new LineChartSpec($"{setName} set: loss", "epoch", "cross-entropy loss", loss);
            var accChart = new LineChartSpec($"{setName} set: accuracy", "epoch", "accuracy (%)", acc);
            ctx.Figure($"{setName}_loss", $"Loss on the {setName} set per epoch for the four networks ({setName} plot, part 1).", lossChart);
            ctx.Figure($"{setName}_accuracy", $"Accuracy on the {setName} set per epoch for the four networks ({setName} plot, part 2).", accChart);
            foreach (var f in new[] { lossChart, accChart })
                found.Expect(f.Series.Count == records.Count && f.XLabel.Length > 0 && f.YLabel.Length > 0 && f.Series.Select(x => x.Name).Distinct().Count() == records.Count,
                    () => $"\"{f.Title}\" has {f.Series.Count} curves ({f.Series.Select(x => x.Name).Distinct().Count()} distinct names), axis labels \"{f.XLabel}\" / \"{f.YLabel}\"");
        }
        ctx.Check("figures_ok", found, $"4 plots (training and test set, loss and accuracy), each with {records.Count} labelled curves, axis labels and a legend");

        var rows = new List<IReadOnlyList<string>>();
        for (int i = 0; i < records.Count; i++)
        {
            var (c, r) = records[i];
            double best = r.Value(c.Prefix + "best_test_accuracy");
            ctx.Value($"case{i + 1}_best_test_accuracy", best);
            rows.Add(new[]
            {
                c.Name, r.Value(c.Prefix + "best_epoch").ToString(CultureInfo.InvariantCulture), Show.Percent(best),
                Show.Fixed(r.Series[c.Prefix + "train_loss"][^1]), Show.Fixed(r.Series[c.Prefix + "test_loss"][^1]),
                ((r.Value(c.Prefix + "final_train_accuracy") - r.Value(c.Prefix + "final_test_accuracy")) * 100).ToString("0.00", CultureInfo.InvariantCulture),
            });
        }
        ctx.Table("summary", "The four networks: best epoch (by validation accuracy), its test accuracy, final losses and the final train − test accuracy gap in points (negative when training accuracy, measured on the training batches as trained — with dropout active, and augmented for Q1.3 — is below test accuracy).",
            new[] { "network", "best epoch", "best test acc.", "final train loss", "final test loss", "train − test gap" }, rows);

        var ranked = records.Select((x, i) => (x.Case, Acc: x.Record.Value(x.Case.Prefix + "best_test_accuracy"), Loss: x.Record.Series[x.Case.Prefix + "test_loss"].Min()))
            .OrderByDescending(x => x.Acc).ToList();
        ctx.Value("best_case_test_accuracy", ranked[0].Acc);
        ctx.Observe($"Best method: {ranked[0].Case.Name} with {Show.Percent(ranked[0].Acc)} best-epoch test accuracy, ahead of "
            + string.Join(", ", ranked.Skip(1).Select(x => $"{x.Case.Name} ({Show.Percent(x.Acc)})")) + ".");
        var lowestLoss = ranked.MinBy(x => x.Loss);
        ctx.Observe($"The lowest test loss of any epoch is {Show.Fixed(lowestLoss.Loss)}, by {lowestLoss.Case.Name}.");
        // How much each network still learns after its first epoch (test accuracy, last epoch minus first).
        var gains = records.Select(x => (x.Case, Gain: x.Record.Series[x.Case.Prefix + "test_accuracy"][^1] - x.Record.Series[x.Case.Prefix + "test_accuracy"][0]))
            .OrderBy(x => x.Gain).ToList();
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"From the first to the last epoch the test accuracy rises least for {gains[0].Case.Name} ({gains[0].Gain * 100:+0.00;-0.00} points) and most for {gains[^1].Case.Name} ({gains[^1].Gain * 100:+0.00;-0.00} points)."));
    }
}
