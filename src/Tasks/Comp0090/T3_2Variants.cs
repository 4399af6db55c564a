using Harness.Core.Experiments;
using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// 3.2: ten variants of 3.1's CNN, each one change applied to the best network so far by validation loss (3.1's is the
/// first), trained to convergence like it, and a table akin to the seed's Table 1. Losses in the table are plain
/// cross-entropy; a variant with an L2 penalty trains on cross-entropy + penalty.
/// </summary>
public sealed class T3_2Variants : Comp0090Task<T3_2Variants.Settings_>
{
    public sealed record Settings_(T3_1Cnn.Settings_ Base, VariantChange[] Variants);

    public override string Id => "3.2";
    public override string Title => "Variants of the CNN";
    public override string SeedText => "Starting from your network of 3.1, try ten variants of it, each changing one aspect (the number of convolutional or classification layers, the optimiser, the learning rate, regularisation, …) of the best model so far as judged by validation loss. Fill a table like Table 1 (layers: convolution, classification; optimiser; learning rate; regularisation; loss and accuracy on the training, validation and test sets). Was the lowest test loss obtained for the model with the lowest validation loss?";
    public override IReadOnlyList<string> DependsOn => ["3.1"];

    /// <summary>
    /// The columns of the seed's Table 1 (optimiser, learning rate, regularisation, conv and classification layers) and
    /// one width; cheap changes first and the one that makes the network costliest last (a child inherits its parent's cost).
    /// </summary>
    public static readonly VariantChange[] Changes =
    [
        new("higher learning rate", LearningRate: 3e-3),
        new("lower learning rate", LearningRate: 3e-4),
        new("Adadelta", Optimizer: "Adadelta", LearningRate: 1.0),
        new("L2 penalty", L2: 1e-4),
        new("dropout", Dropout: 0.25),
        new("batch norm", BatchNorm: true),
        new("hidden classification layer", Hidden: [64]),
        new("one conv layer fewer", ConvLayers: -1),
        new("one conv layer more", ConvLayers: 1),
        new("wider", Widen: 2),
    ];

    /// <summary>Test accuracy of the network with the lowest validation loss at seeds 1, 2, 42 (<see cref="Calibration"/>), smoke measured 2026-12-01 with `harness run --assignment comp0090 --seed N`, full 2026-12-02 with `--profile full`.</summary>
    private static readonly Calibration.Reference SmokeBestTestAccuracy = new([0.87, 0.8783, 0.89]);
    private static readonly Calibration.Reference FullBestTestAccuracy = new([0.9306, 0.9294, 0.9316]);

    public override Settings_ Settings(Profile profile) => new(new T3_1Cnn().Settings(profile), Changes);

    /// <summary>How far the table's loss may be from the plain cross-entropy recomputed (float summation order), relative.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>One training per variant (3.1's network is a dependency, not trained here).</summary>
    protected override double? Work(Settings_ s) => s.Variants.Length * (s.Base.Training.Work(s.Base.Data.TrainCount, s.Base.Data.ValidationCount) + WorkVolume.Evaluation(s.Base.Data.TestCount));

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var smoke = Settings(Profile.Smoke);
        return
        [
            Requirement.Exactly("comp0090.3.2.count", "The number of variants trained (besides 3.1's network)", 2, "variants", Changes.Length),
            VariantChain.ParentRequirement("comp0090.3.2.chain", "Each variant's parent is the network with the lowest validation loss among those before it (judged from the recorded losses and parents).", 4, "network_"),
            Requirement.Holds("comp0090.3.2.changed", "Each variant differs from its parent (its change is not already the parent's), and the change is recorded.", 2, "variants_changed"),
            Requirement.Holds("comp0090.3.2.plain-loss", $"For every variant with an L2 penalty the table's losses equal the plain cross-entropy recomputed on each split (within {Show.Short(Tolerance, 6)} relative), while training minimised the cross-entropy plus the penalty.", 4, "table_loss_plain"),
            Requirement.Holds("comp0090.3.2.table", "The table gives layers, optimiser, learning rate, regularisation and the loss and accuracy on all three splits for every network.", 2, "table_complete"),
            VariantChain.AnswerRequirement("comp0090.3.2.answer", "The answer to \"was the lowest test loss obtained for the model with the lowest validation loss?\" follows from the recorded losses.", 3),
            Calibration.AtLeast("comp0090.3.2.accuracy", "FM-1 test accuracy of the network with the lowest validation loss", 3, "best_test_accuracy",
                FullBestTestAccuracy, 0.85, SmokeBestTestAccuracy, smoke.Base.Scale),
        ];
    }

    protected override void RunOnOneThread(RunContext ctx, Settings_ s)
    {
        var baseRun = ctx.Dependency<T3_1Cnn>();
        var fm1 = FashionHalves.Load(ctx, 1, s.Base.Data);
        var b = baseRun.Record;
        var rows = new List<VariantChain.Row>
        {
            new("3.1", s.Base.Cnn, -1, "3.1's network", new SplitScores(b.Value("train_loss"), b.Value("train_accuracy"), b.Value("validation_loss"),
                b.Value("validation_accuracy"), b.Value("test_loss"), b.Value("test_accuracy")), (int)b.Value("stopped_epoch")),
        };
        var changed = new Findings();
        var plain = new Findings();
        int penalised = 0;
        foreach (var (change, k) in s.Variants.Select((c, i) => (c, i + 1)))
        {
            int parent = VariantChain.BestSoFar(rows.Select(r => r.Scores.ValidationLoss).ToList());
            var config = change.Apply(rows[parent].Config);
            var what = VariantChange.Describe(rows[parent].Config, config);
            changed.Expect(what != VariantChange.Unchanged, () => $"v{k} ({change.Name}) is its parent {rows[parent].Name} again");
            manual_seed(ctx.Seed);
            using var model = new ConvNet(config.Shape);
            var fitted = ctx.Timed("training", () => ConvergenceTraining.Fit(ctx, $"3.2 v{k}", model, config, s.Base.Training, fm1.Train, fm1.Validation, fm1.Test));
            ConvergenceRecorder.Record(ctx, fitted, $"v{k}_", $"v{k}", figures: false);
            if (config.L2 > 0) { penalised++; VariantChain.CheckPlainLoss(plain, $"v{k}", model, config.L2, fitted, fm1, ctx.Device, Tolerance); }
            rows.Add(new($"v{k}", config, parent, what, fitted.Scores, fitted.StoppedAt));
        }
        ctx.Value("variants", rows.Count - 1);
        ctx.Check("variants_changed", changed, $"each of the {Show.Word(rows.Count - 1)} variants changes one thing of its parent");
        plain.Expect(penalised > 0, "no variant has an L2 penalty");
        ctx.Check("table_loss_plain", plain, $"{Show.Word(penalised)} variant(s) with an L2 penalty: each table loss is the plain cross-entropy recomputed, and below the regularised objective");
        VariantChain.Record(ctx, rows);
    }
}
