using Harness.Core.Experiments;
using System.Text.Json.Serialization;
using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// 3.5: 3.1's CNN tuned on FM-2 (each tuning step a change to the best so far by FM-2 validation loss), then the tuned
/// structure trained on growing shares of FM-1's training images from random weights and from FM-2's weights (every
/// layer copied except the classification layer, which is initialised afresh from the seed).
/// </summary>
public sealed class T3_5Transfer : Comp0090Task<T3_5Transfer.Settings_>
{
    /// <param name="Tuning">how the FM-2 networks are trained (3.1's protocol)</param>
    /// <param name="Sweep">how the FM-1 networks of the sweep are trained: at full, 3.1's protocol (as 3.4's MLPs); smoke caps them sooner</param>
    public sealed record Settings_(HalfSizes Data, CnnConfig Cnn, VariantChange[] Steps, Convergence Tuning, Convergence Sweep, int Fractions)
    {
        [JsonIgnore] public string Scale => $"{Data.TrainScale}, {Fractions} shares, {Sweep.Words}";
    }

    public static readonly InitName Random = new("random", "random init"), Transfer = new("transfer", "FM-2 init");
    public override string Id => "3.5";
    public override string Title => "Transfer from Fashion-MNIST-2";
    public override string SeedText => "Train a convolutional network on Fashion-MNIST-2, tuning it on its validation set. Then train a network of the same structure for Fashion-MNIST-1, once from a random initialisation and once initialised with the weights learnt on Fashion-MNIST-2 (with a newly initialised classification layer), on 5%, 10%, …, 100% of Fashion-MNIST-1's training data, and plot and report as in 3.4.";

    /// <summary>Tuning steps that keep the network's size (the sweep trains it 40 times at full).</summary>
    public static readonly VariantChange[] TuningSteps = [new("higher learning rate", LearningRate: 3e-3), new("dropout", Dropout: 0.25)];

    /// <summary>Test accuracy of the tuned FM-2 network and of the best FM-1 network of each init at seeds 1, 2, 42 (<see cref="Calibration"/>), smoke measured 2026-12-01 with `harness run --assignment comp0090 --seed N`, full 2026-12-02 with `--profile full`.</summary>
    private static readonly Calibration.Reference SmokeFm2Accuracy = new([0.9117, 0.9033, 0.9]), SmokeTransferAccuracy = new([0.8117, 0.855, 0.8167]), SmokeRandomAccuracy = new([0.87, 0.8517, 0.865]);
    private static readonly Calibration.Reference FullFm2Accuracy = new([0.9764, 0.9726, 0.9756]), FullTransferAccuracy = new([0.9248, 0.9194, 0.923]), FullRandomAccuracy = new([0.9216, 0.912, 0.9236]);

    public override Settings_ Settings(Profile profile)
    {
        var base31 = new T3_1Cnn().Settings(profile);
        return profile == Profile.Full
            ? new(base31.Data, base31.Cnn, TuningSteps, base31.Training, base31.Training, Fractions: 20)
            : new(base31.Data, base31.Cnn, TuningSteps, base31.Training, new Convergence(MaxEpochs: 25, Patience: 2, BatchSize: 32), Fractions: 4);
    }

    /// <summary>The FM-2 network and its tuning steps, then two initialisations trained on every share of FM-1's training images.</summary>
    protected override double? Work(Settings_ s) => (s.Steps.Length + 1) * s.Tuning.Work(s.Data.TrainCount, s.Data.ValidationCount)
        + 2 * FractionSweep.Fractions(s.Fractions).Sum(f => s.Sweep.Work((long)(f * s.Data.TrainCount), s.Data.ValidationCount));

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var (full, smoke) = (Settings(Profile.Full), Settings(Profile.Smoke));
        return
        [
            VariantChain.ParentRequirement("comp0090.3.5.tuning", $"The FM-2 network is tuned on FM-2's validation set: each of the {Show.Word(TuningSteps.Length)} tuning steps changes the best network so far by FM-2 validation loss, and the lowest is kept (judged from the recorded steps).", 3, "tuning_"),
            Requirement.Holds("comp0090.3.5.structure", "The FM-2 network and both FM-1 networks have identical structures (every tensor's name and shape).", 2, "structures_identical"),
            Requirement.Holds("comp0090.3.5.copied", "FM-2 init copies every convolutional weight (every tensor but the classification layer's) bit for bit.", 3, "weights_copied"),
            Requirement.Holds("comp0090.3.5.classifier", "FM-2 init's classification layer differs from FM-2's and is the one a fresh network gets from the seed (bit for bit).", 3, "classifier_fresh"),
            .. FractionSweep.Requirements("3.5", Transfer, Random, full.Fractions, smoke.Fractions, nestedPoints: 2, curvesPoints: 2, crossoverPoints: 2),
            Calibration.AtLeast("comp0090.3.5.fm2-accuracy", "FM-2 test accuracy of the tuned FM-2 network", 1, "fm2_test_accuracy",
                FullFm2Accuracy, 0.9, SmokeFm2Accuracy, smoke.Scale),
            Calibration.AtLeast("comp0090.3.5.transfer-accuracy", "FM-1 test accuracy of the best FM-2-init network", 1, "transfer_best_test_accuracy",
                FullTransferAccuracy, 0.85, SmokeTransferAccuracy, smoke.Scale),
            Calibration.AtLeast("comp0090.3.5.random-accuracy", "FM-1 test accuracy of the best random-init network", 1, "random_best_test_accuracy",
                FullRandomAccuracy, 0.85, SmokeRandomAccuracy, smoke.Scale),
        ];
    }

    protected override void RunOnOneThread(RunContext ctx, Settings_ s)
    {
        var fm2 = FashionHalves.Load(ctx, 2, s.Data);
        var (tuned, source) = Tune(ctx, s, fm2);
        try
        {
            CheckTransfer(ctx, tuned, source);
            var fm1 = FashionHalves.Load(ctx, 1, s.Data);
            var fractions = FractionSweep.Fractions(s.Fractions);
            var subsets = FractionSweep.Subsets(ctx, fm1.Train, fractions);
            Init[] inits =
            [
                new(Random, () => { manual_seed(ctx.Seed); return new ConvNet(tuned.Shape); }),
                new(Transfer, () => FromFm2(ctx, tuned, source)),
            ];
            var points = FractionSweep.Run(ctx, "3.5", fm1.Train, fractions, subsets, inits,
                (model, part, label) => ConvergenceTraining.Fit(ctx, label, (ConvNet)model, tuned, s.Sweep, part, fm1.Validation, fm1.Test));
            FractionSweep.Record(ctx, points, [inits[1], inits[0]], "CNN", s.Sweep);
        }
        finally { ModelState.Dispose(source); }
    }

    /// <summary>3.1's CNN on FM-2, then each tuning step applied to the best so far; returns the best config and its weights.</summary>
    private static (CnnConfig Config, Dictionary<string, Tensor> Weights) Tune(RunContext ctx, Settings_ s, FashionHalf fm2)
    {
        var rows = new List<VariantChain.Row>();
        var weights = new List<Dictionary<string, Tensor>>();
        var steps = new VariantChange?[] { null }.Concat(s.Steps).ToList();
        foreach (var (step, k) in steps.Select((c, i) => (c, i)))
        {
            int parent = k == 0 ? -1 : VariantChain.BestSoFar(rows.Select(r => r.Scores.ValidationLoss).ToList());
            var config = step is null ? s.Cnn : step.Apply(rows[parent].Config);
            manual_seed(ctx.Seed);
            using var model = new ConvNet(config.Shape);
            var f = ctx.Timed("fm2_tuning", () => ConvergenceTraining.Fit(ctx, $"3.5 FM-2 step {k}", model, config, s.Tuning, fm2.Train, fm2.Validation, fm2.Test));
            rows.Add(new($"step {k}", config, parent, step is null ? "3.1's network" : VariantChange.Describe(rows[parent].Config, config), f.Scores, f.StoppedAt));
            weights.Add(ModelState.Snapshot(model));
            if (k == 0) TrainingRecorder.RecordArchitecture(ctx, model, [1, 28, 28], "fm2_", "CNN on FM-2");
        }
        int best = VariantChain.BestSoFar(rows.Select(r => r.Scores.ValidationLoss).ToList());
        foreach (var (w, i) in weights.Select((w, i) => (w, i))) if (i != best) ModelState.Dispose(w);
        ctx.Series("tuning_validation_loss", rows.Select(r => r.Scores.ValidationLoss));
        ctx.Series("tuning_parent", rows.Select(r => (double)r.Parent));
        rows[best].Scores.Record(ctx, "fm2_");
        ctx.Value("tuning_chosen", best);
        ctx.Table("tuning", "Tuning on FM-2: each step changes the best network before it (by FM-2 validation loss); * marks the network kept.",
            ["step", "parent", "change", "epochs", "FM-2 val. loss", "FM-2 val. acc.", "FM-2 test acc."],
            rows.Select((r, i) => (IReadOnlyList<string>)[r.Name + (i == best ? " *" : ""), r.Parent < 0 ? "–" : rows[r.Parent].Name, r.Change, r.Epochs.ToString(CultureInfo.InvariantCulture),
                Show.Fixed(r.Scores.ValidationLoss), Show.Percent(r.Scores.ValidationAccuracy), Show.Percent(r.Scores.TestAccuracy)]));
        ctx.Observe($"Tuned on FM-2's validation set, {rows[best].Name} is kept ({rows[best].Config.Optimizer}, learning rate {Show.Short(rows[best].Config.LearningRate, 6)}, regularisation {rows[best].Config.Regularisation}): "
            + $"FM-2 validation loss {Show.Fixed(rows[best].Scores.ValidationLoss)}, test accuracy {Show.Percent(rows[best].Scores.TestAccuracy)}.");
        return (rows[best].Config, weights[best]);
    }

    /// <summary>A network of the tuned structure, seeded like the random init, with every tensor but the classification layer's copied from FM-2's.</summary>
    private static ConvNet FromFm2(RunContext ctx, CnnConfig tuned, Dictionary<string, Tensor> source)
    {
        manual_seed(ctx.Seed);
        var model = new ConvNet(tuned.Shape);
        using var _ = no_grad();
        foreach (var (name, t) in model.state_dict())
            if (!IsClassifier(name)) t.copy_(source[name]);
        return model;
    }

    private static bool IsClassifier(string tensor) => tensor.StartsWith(ConvNet.Classifier + ".", StringComparison.Ordinal);

    private static void CheckTransfer(RunContext ctx, CnnConfig tuned, Dictionary<string, Tensor> source)
    {
        manual_seed(ctx.Seed);
        using var random = new ConvNet(tuned.Shape);
        using var transfer = FromFm2(ctx, tuned, source);
        var (r, t) = (ModelState.Snapshot(random), ModelState.Snapshot(transfer));
        try
        {
            string Shapes(Dictionary<string, Tensor> d) => string.Join(", ", d.Select(kv => $"{kv.Key} {string.Join("×", kv.Value.shape)}"));
            ctx.Check("structures_identical", Shapes(source) == Shapes(r) && Shapes(r) == Shapes(t),
                Shapes(source) == Shapes(r) && Shapes(r) == Shapes(t) ? $"{source.Count} tensors, the same names and shapes in all three: {Shapes(source)}"
                : $"FM-2: {Shapes(source)}; random: {Shapes(r)}; FM-2 init: {Shapes(t)}");
            var copied = new Findings();
            var kept = source.Keys.Where(k => !IsClassifier(k)).ToList();
            foreach (var k in kept) copied.Expect(TensorDiff.Describe(source[k], t[k]) is null, () => $"{k}: {TensorDiff.Describe(source[k], t[k])}");
            ctx.Check("weights_copied", copied.Expect(kept.Count > 0, "nothing to copy"), $"{kept.Count} tensors ({string.Join(", ", kept)}) equal FM-2's bit for bit");
            var classifier = source.Keys.Where(IsClassifier).ToList();
            var fresh = new Findings();
            foreach (var k in classifier)
                fresh.Expect(TensorDiff.Describe(source[k], t[k]) is not null, () => $"{k} equals FM-2's")
                     .Expect(TensorDiff.Describe(r[k], t[k]) is null, () => $"{k} is not the seed's fresh one: {TensorDiff.Describe(r[k], t[k])}");
            ctx.Check("classifier_fresh", fresh.Expect(classifier.Count > 0, "no classification layer"),
                $"{string.Join(" and ", classifier)}: different from FM-2's, equal bit for bit to a fresh network's from seed {ctx.Seed}");
        }
        finally { ModelState.Dispose(r); ModelState.Dispose(t); }
    }
}
