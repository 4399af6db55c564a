using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 2(d): improvements to the small CNN, added one at a time so the report can say what each contributed: batch
/// normalisation, dropout, augmentation (shifts and mirroring), and AdamW with a cosine schedule. Every step is trained
/// from scratch under 2(b)'s protocol (data, seed, epochs), so the first row is 2(b)'s own run, taken from its record.
/// </summary>
public sealed class Q2dImprovements : TaskDefinition<Q2dImprovements.Settings_>
{
    public override int Revision => 3;
    public sealed record Step(string Name, SmallFashionCnn.Options Network, bool Augment, bool AdamWCosine);
    public sealed record Settings_(Step[] Steps, Hw4TrainSettings Training, int MaxShift, double WeightDecay);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "2d";
    public override string Title => "Batch normalisation, dropout, augmentation and optimisers";
    public override string SeedText => "Improve your network: implement at least one of dropout and batch normalization, use data augmentation, and play with different optimizers. Report the test accuracy.";
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "2b" };

    public override Settings_ Settings(Profile profile) => new Settings_(new[]
        {
            new Step("small CNN of 2(b)", new SmallFashionCnn.Options(), false, false),
            new Step("+ batch norm", new SmallFashionCnn.Options(BatchNorm: true), false, false),
            new Step("+ dropout", new SmallFashionCnn.Options(BatchNorm: true, ConvDropout: 0.1, FcDropout: 0.4), false, false),
            new Step("+ augmentation", new SmallFashionCnn.Options(BatchNorm: true, ConvDropout: 0.1, FcDropout: 0.4), true, false),
            new Step("+ AdamW, cosine", new SmallFashionCnn.Options(BatchNorm: true, ConvDropout: 0.1, FcDropout: 0.4), true, true),
        },
        // 2(b)'s protocol: 2(b) alone reaches 92% by epoch 6 of 15, and 30 epochs per step (the first design) cost over
        // four hours of this two-core machine for the ablation.
        Hw4TrainSettings.For(profile, fullEpochs: 15), MaxShift: 2, WeightDecay: 1e-4);

    /// <summary>A train − test accuracy gap below this is read as "does not over-fit".</summary>
    private const double NoOverfitGap = 0.03;
    /// <summary>The seed's improved network reached this test accuracy.</summary>
    public const double SeedAccuracy = 0.8969;

    protected override double? Work(Settings_ s) => s.Steps.Length * s.Training.Work;

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var (full, smoke) = (Settings(Profile.Full).Training, Settings(Profile.Smoke).Training);
        return
        [
            Requirement.Holds("hw4.2d.techniques", "Batch normalisation and dropout are implemented, augmentation is used and a second optimiser/schedule is tried.", 1, "techniques_used"),
            Requirement.Holds("hw4.2d.ablation", "An ablation table states each change's contribution (test accuracy before and after every step).", 1, "ablation_ok"),
            Requirement.AtLeast("hw4.2d.accuracy", $"The improved network's best test accuracy ({full.Epochs} epochs at full)", 3, "best_test_accuracy",
                new Threshold(0.92, 0.65, smoke.Scale), ValueFormat.Percent, $"the seed: {Show.Percent(SeedAccuracy)}"),
        ];
    }

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var small = ctx.Dependency<Q2bCnnTraining>();
        var b = small.Record;
        var data = DataPreparation.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        DataPreparation.RecordSizes(ctx, data);
        float background = -data.Mean / data.Std;

        // Every Δ compares like with like: a step that is exactly 2(b)'s network and protocol is 2(b)'s run (training
        // is deterministic for a seed), any other is trained here.
        var bSettings = small.Task.Settings(ctx.Options);
        var rows = new List<(string Name, long Params, double Acc, double Seconds)>();
        TrainingResult? last = null;
        for (int i = 0; i < s.Steps.Length; i++)
        {
            var step = s.Steps[i];
            if (i < s.Steps.Length - 1 && step.Network == bSettings.Network && !step.Augment && !step.AdamWCosine && s.Training == bSettings.Training)
            {
                rows.Add((step.Name, (long)b.Value("params_total"), b.Value("best_test_accuracy"), b.Timing.Sections.GetValueOrDefault("train_seconds")));
                ctx.Value($"step{i + 1}_best_test_accuracy", b.Value("best_test_accuracy"));
                ctx.Value($"step{i + 1}_from_2b", 1);
                continue;
            }
            manual_seed(ctx.Seed);
            using var model = new SmallFashionCnn(step.Network);
            var augment = step.Augment ? new Augmentation(ctx.Seed, s.MaxShift, background) : null;
            var recipe = step.AdamWCosine ? s.Training.AdamWCosine(s.WeightDecay) : s.Training.Recipe;
            var result = ctx.Timed(step.Name, () => ctx.TrainClassifier($"2d {step.Name}", model, recipe, data, augment is null ? null : augment.Apply));
            rows.Add((step.Name, Harness.Core.Metrics.ModelSummary.TotalParameters(model), result.Best.TestAccuracy, result.Seconds));
            ctx.Value($"step{i + 1}_best_test_accuracy", result.Best.TestAccuracy);
            if (i == s.Steps.Length - 1)
            {
                TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "Improved CNN");
                TrainingRecorder.Record(ctx, result, label: "Improved CNN");
                last = result;
            }
        }
        var final = s.Steps[^1];
        var techniques = new Findings()
            .Expect(final.Network.BatchNorm, "the final network has no batch normalisation")
            .Expect(final.Network.FcDropout > 0, "the final network has no dropout")
            .Expect(final.Augment, "the final network is trained without augmentation")
            .Expect(final.AdamWCosine, "the final network is trained with the first optimiser only");
        ctx.Check("techniques_used", techniques, $"final step \"{final.Name}\": batch norm, dropout {final.Network.FcDropout.ToString(CultureInfo.InvariantCulture)}, augmentation, AdamW with a cosine schedule");
        var ablation = new Findings()
            .Expect(rows.Count == s.Steps.Length, () => $"{rows.Count} table rows for {s.Steps.Length} steps")
            .Expect(s.Steps[0].Network == new SmallFashionCnn.Options(), "the ablation does not start from 2(b)'s network");
        ctx.Check("ablation_ok", ablation, $"{rows.Count} rows from 2(b)'s network to the final one, each with its best test accuracy and its Δ");

        ctx.Table("ablation", string.Create(CultureInfo.InvariantCulture,
            $"2(d): each change added to the one above, trained from scratch ({s.Training.TrainImages:N0} training images, {s.Training.Epochs} epochs, seed {ctx.Seed}); Δ is the change in best test accuracy it brought. Dropout: p = {final.Network.ConvDropout} after each pooling, {final.Network.FcDropout} before the output; augmentation: shifts up to ±{s.MaxShift} px and left–right mirroring; AdamW weight decay {s.WeightDecay}, cosine schedule to 0."),
            new[] { "network", "parameters", "best test acc.", "Δ (points)", "training time (s)" },
            rows.Select((r, i) => (IReadOnlyList<string>)new[]
            {
                r.Name, r.Params.ToString("N0", CultureInfo.InvariantCulture), Show.Percent(r.Acc),
                i == 0 ? "–" : (100 * (r.Acc - rows[i - 1].Acc)).ToString("+0.00;-0.00", CultureInfo.InvariantCulture), r.Seconds.ToString("0.0", CultureInfo.InvariantCulture),
            }));
        ctx.Figure("ablation", "2(d): best test accuracy after each change.", new BarChartSpec("Ablation of the improvements", "network", "best test accuracy (%)",
            rows.Select(r => r.Name).ToArray(), new[] { new BarSeries("test accuracy", rows.Select(r => 100 * r.Acc).ToArray()) }));

        var gains = rows.Skip(1).Select((r, i) => (r.Name, Gain: r.Acc - rows[i].Acc)).ToList();
        var most = gains.MaxBy(g => g.Gain);
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"From {Show.Percent(rows[0].Acc)} (the 2(b) network under this protocol; 2(b) itself reported {Show.Percent(b.Value("best_test_accuracy"))}) to {Show.Percent(rows[^1].Acc)}: the largest single gain comes from \"{most.Name}\" ({100 * most.Gain:+0.00;-0.00} points); " +
            $"{gains.Count(g => g.Gain < 0)} of {gains.Count} steps lowered the accuracy on their own."));
        if (last is not null)
        {
            double gap = last.Last.TrainAccuracy - last.Last.TestAccuracy;
            ctx.Observe(string.Create(CultureInfo.InvariantCulture,
                $"The final network ends with training accuracy {Show.Percent(last.Last.TrainAccuracy)} (on augmented, dropout-perturbed batches) and test accuracy {Show.Percent(last.Last.TestAccuracy)}: " +
                $"{(Math.Abs(gap) < NoOverfitGap ? $"a gap below {100 * NoOverfitGap:0} points, so it does not over-fit." : gap > 0 ? $"a gap of {100 * gap:0.0} points." : "test above training accuracy, as the regularisers are off at test time.")}"));
        }
    }

}
