using Harness.Tasks.Hw4.Models;

namespace Harness.Tasks.Hw4;

/// <summary>
/// 3(c): the decoder of 3(a)'s autoencoder cut off, its encoder frozen, and one fully connected layer from the
/// code to the 10 classes trained on top (the seed: 100 epochs). Checks that the encoder did not move.
/// </summary>
public sealed class Q3cFrozenEncoder : TaskDefinition<Q3cFrozenEncoder.Settings_>
{
    public sealed record Settings_(Hw4TrainSettings Training);

    public override string Assignment => Hw4Assignment.AssignmentId;
    public override string Id => "3c";
    public override int Revision => 2;
    public override string Title => "A classifier on the frozen encoder";
    public override string SeedText => "Freeze your autoencoder layers and cut off the decoding portion of the network. Connect the last layer of the encoding branch to a fully connected layer, and train only this layer for classification. Compare with your supervised CNN of Problem 2.";
    public override IReadOnlyList<string> DependsOn { get; } = new[] { "3a", "2b" };
    public override Settings_ Settings(Profile profile) => new Settings_(Hw4TrainSettings.For(profile, fullEpochs: 100, smokeEpochs: 3, smokeLearningRate: 1e-2));

    /// <summary>The seed's frozen-encoder classifier reached this test accuracy.</summary>
    public const double SeedAccuracy = 0.8486;
    /// <summary>How far the assembled classifier's test accuracy may be from the head's on the codes (float summation order).</summary>
    private const double AssembledTolerance = 0.0005;
    private const int HeadParameters = (Q3aAutoencoder.CodeSize + 1) * EncoderClassifier.Classes;

    protected override double? Work(Settings_ s) => s.Training.Work + WorkVolume.Evaluation(s.Training.TrainImages + s.Training.ValidationImages + s.Training.TestImages);

    protected override IEnumerable<Requirement> DeclareRequirements() =>
    [
        Requirement.Holds("hw4.3c.frozen", "Every encoder parameter is unchanged bit for bit after training.", 2, "encoder_unchanged"),
        Requirement.Exactly("hw4.3c.trainable", $"The number of trainable parameters (only the fully connected layer: {Q3aAutoencoder.CodeSize}×{EncoderClassifier.Classes} + {EncoderClassifier.Classes})",
            1, "trainable_params", HeadParameters),
        Requirement.Holds("hw4.3c.assembled", $"The assembled classifier (images → frozen encoder → trained layer) reproduces the trained layer's test accuracy within {100 * AssembledTolerance:0.##} points.", 0.5, "assembled_matches"),
        Requirement.AtLeast("hw4.3c.accuracy", $"Test accuracy of the epoch chosen by validation ({Settings(Profile.Full).Training.Epochs} epochs at full)", 2, "best_test_accuracy",
            new Threshold(0.85, 0.55, Settings(Profile.Smoke).Training.Scale + " with the smoke autoencoder"), ValueFormat.Percent,
            $"the seed: {Show.Percent(SeedAccuracy)}; chance is {Show.PercentBound(1.0 / EncoderClassifier.Classes)}"),
    ];

    protected override void Run(RunContext ctx, Settings_ s)
    {
        var (aTask, a, folder) = ctx.Dependency<Q3aAutoencoder>();
        var b = ctx.Dependency<Q2bCnnTraining>().Record;
        var data = UnitRangeData.Prepare(ctx.Data.FashionMnist(), s.Training.Sizes, ctx.Seed);
        using var autoencoder = new ConvAutoencoder(aTask.Settings(ctx.Options).CodeSize);
        autoencoder.load(Path.Combine(folder, a.Artifacts[Q3aAutoencoder.WeightsArtifact]));
        manual_seed(ctx.Seed);
        using var model = new EncoderClassifier(autoencoder);
        ModelState.FreezeAllExcept(model, "head");
        long trainable = ModelSummary.TrainableParameters(model);
        ctx.Value("trainable_params", trainable);
        TrainingRecorder.RecordArchitecture(ctx, model, new long[] { 1, 28, 28 }, label: "Frozen encoder + linear layer");

        var before = EncoderState(model);
        model.to(ctx.Device);
        // The encoder is frozen and the inputs are not augmented, so each of the 100 epochs would push the same images
        // through the same encoder: encode every image once and train the head on the codes (the same arithmetic for
        // the head, minutes instead of half an hour on a CPU). The head is the classifier's own layer.
        var result = ctx.Timed("training", () =>
        {
            var codes = EncodedData(model, data, ctx.Device);
            try { return ctx.TrainClassifier("3c frozen encoder", model.Head, s.Training.Recipe, codes); }
            finally { foreach (var d in new[] { codes.Train, codes.Validation, codes.Test }) d.Images.Dispose(); }
        });
        // The assembled network (images → frozen encoder → trained layer) must give what the head gave on the codes.
        var (_, assembled) = Evaluation.LossAndAccuracy(model, data.Test, ctx.Device);
        ctx.Value("assembled_test_accuracy", assembled);
        ctx.Check("assembled_matches", Math.Abs(assembled - result.Best.TestAccuracy) <= AssembledTolerance,
            $"assembled {Show.Percent(assembled)}, head on the codes {Show.Percent(result.Best.TestAccuracy)}");
        var after = EncoderState(model);
        var changed = ModelState.ChangedTensors(before, after);
        ctx.Value("encoder_tensors_checked", before.Count);
        int encoderTensors = 2 * ConvAutoencoder.EncoderPrefixes.Length;   // a weight and a bias per layer
        var frozen = new Findings()
            .Expect(before.Count == encoderTensors, () => $"{before.Count} encoder tensors found, {encoderTensors} expected")
            .Expect(changed.Count == 0, () => $"changed by training: {string.Join(", ", changed)}");
        ctx.Check("encoder_unchanged", frozen, $"all {before.Count} encoder tensors ({string.Join(", ", before.Keys)}) unchanged bit for bit");
        foreach (var t in before.Values.Concat(after.Values)) t.Dispose();
        TrainingRecorder.Record(ctx, result, label: "Frozen encoder + linear layer");

        Compare(ctx, new[] { ("small CNN, fully supervised (2b)", b.Value("params_total"), b.Value("params_total"), b.Value("best_test_accuracy")),
            ("frozen encoder + linear layer (3c)", (double)ModelSummary.TotalParameters(model), (double)trainable, result.Best.TestAccuracy) }, "3(c)");
        ctx.Observe(string.Create(CultureInfo.InvariantCulture,
            $"Training only {trainable:N0} of {ModelSummary.TotalParameters(model):N0} parameters gives {100 * result.Best.TestAccuracy:0.00}% against {100 * b.Value("best_test_accuracy"):0.00}% of the fully supervised small CNN: the code was learned to reconstruct pixels, not to separate classes, so similar-looking classes (shirt, T-shirt, pullover, coat) stay mixed in it."));
    }

    /// <summary>The three parts with each image replaced by its code (N×64), labels shared.</summary>
    private static PreparedData EncodedData(EncoderClassifier model, PreparedData data, Device device)
    {
        ImageDataSet Encode(ImageDataSet d)
        {
            using var noGrad = no_grad();
            model.eval();
            var parts = new List<Tensor>();
            for (long i = 0; i < d.Count; i += 1000)
            {
                using var scope = NewDisposeScope();
                var x = d.Images.narrow(0, i, Math.Min(1000, d.Count - i)).to(device);
                parts.Add(model.Encode(x).cpu().MoveToOuterDisposeScope());
            }
            var codes = cat(parts, 0);
            foreach (var p in parts) p.Dispose();
            return new ImageDataSet(d.Name + " (codes)", codes, d.Labels, d.ClassNames);
        }
        return data with { Train = Encode(data.Train), Validation = Encode(data.Validation), Test = Encode(data.Test) };
    }

    private static Dictionary<string, Tensor> EncoderState(EncoderClassifier model) =>
        ModelState.Snapshot(model).Where(kv => ConvAutoencoder.EncoderPrefixes.Any(p => kv.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(kv => kv.Key, kv => kv.Value);

    internal static void Compare(RunContext ctx, IEnumerable<(string Name, double Params, double Trained, double Acc)> rows, string task)
    {
        var list = rows.ToList();
        ctx.Table("comparison", $"{task}: supervised CNN against the autoencoder-based classifiers (best test accuracy; parameters in total and trained for classification).",
            new[] { "network", "parameters", "trained parameters", "best test acc." },
            list.Select(r => (IReadOnlyList<string>)new[] { r.Name, r.Params.ToString("N0", CultureInfo.InvariantCulture), r.Trained.ToString("N0", CultureInfo.InvariantCulture),
                (100 * r.Acc).ToString("0.00", CultureInfo.InvariantCulture) + "%" }));
        ctx.Figure("comparison", $"{task}: best test accuracy of each classifier.", new BarChartSpec("Supervised vs autoencoder-based", "classifier", "best test accuracy (%)",
            list.Select(r => r.Name).ToArray(), new[] { new BarSeries("test accuracy", list.Select(r => 100 * r.Acc).ToArray()) }));
    }
}
