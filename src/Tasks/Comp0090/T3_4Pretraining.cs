using Harness.Core.Experiments;
using System.Text.Json.Serialization;
using Harness.Tasks.Comp0090.Models;

namespace Harness.Tasks.Comp0090;

/// <summary>
/// 3.4: an MLP autoencoder (MSE) trained on all of FM-2 and FM-1's training part only, then an MLP with the encoder's
/// structure trained on growing shares of FM-1's training images from random weights and from the encoder's weights.
/// </summary>
public sealed class T3_4Pretraining : Comp0090Task<T3_4Pretraining.Settings_>
{
    /// <param name="Widths">the encoder's layer widths (the last is the code)</param>
    public sealed record Settings_(HalfSizes Data, int[] Widths, AutoencoderTraining Autoencoder, string Optimizer, double LearningRate, Convergence Training, int Fractions)
    {
        [JsonIgnore] public string Scale => $"{Data.TrainScale}, {Fractions} shares, {Training.Words}";
    }

    /// <summary>The autoencoder trains for a fixed number of epochs on the MSE to its input, with Adam.</summary>
    public sealed record AutoencoderTraining(int Epochs, int BatchSize, double LearningRate)
    {
        [JsonIgnore] public TrainingRecipe Recipe => new(Epochs, BatchSize, new OptimizerSpec("Adam", LearningRate));
    }

    public static readonly InitName Random = new("random", "random init"), Encoder = new("encoder", "encoder init");
    public override string Id => "3.4";
    public override string Title => "Pre-training with an autoencoder";
    public override string SeedText => "Train an autoencoder with a mean squared error loss on all of Fashion-MNIST-2 (training, validation and test) and the training set of Fashion-MNIST-1 only. Then train an MLP for Fashion-MNIST-1 with the structure of the encoder, once from a random initialisation and once initialised with the encoder's weights, on 5%, 10%, …, 100% of Fashion-MNIST-1's training data. Plot the training and validation loss of both against the share of training data: where does one initialisation stop being better than the other? Report the final training, validation and test accuracy of the best model of each initialisation.";

    /// <summary>Test accuracy of the best MLP of each init at seeds 1, 2, 42 (<see cref="Calibration"/>), smoke measured 2026-12-01 with `harness run --assignment comp0090 --seed N`, full 2026-12-02 with `--profile full`.</summary>
    private static readonly Calibration.Reference SmokeEncoderAccuracy = new([0.865, 0.8467, 0.8667]), SmokeRandomAccuracy = new([0.8717, 0.8333, 0.8333]);
    private static readonly Calibration.Reference FullEncoderAccuracy = new([0.9044, 0.9036, 0.9078]), FullRandomAccuracy = new([0.902, 0.9048, 0.907]);

    /// <summary>3.1's data and training protocol; the autoencoder and the MLP are this task's.</summary>
    public override Settings_ Settings(Profile profile)
    {
        var base31 = new T3_1Cnn().Settings(profile);
        return profile == Profile.Full
            ? new(base31.Data, [256, 64], new(Epochs: 20, BatchSize: 128, LearningRate: 1e-3), "Adam", 1e-3, base31.Training, Fractions: 20)
            : new(base31.Data, [256, 64], new(Epochs: 5, BatchSize: 64, LearningRate: 1e-3), "Adam", 1e-3, base31.Training, Fractions: 4);
    }

    /// <summary>The autoencoder, then two initialisations trained on every share of the training images.</summary>
    protected override double? Work(Settings_ s) => WorkVolume.Training(s.Autoencoder.Epochs, s.Data.TrainCount)
        + 2 * FractionSweep.Fractions(s.Fractions).Sum(f => s.Training.Work((long)(f * s.Data.TrainCount), s.Data.ValidationCount));

    protected override IEnumerable<Requirement> DeclareRequirements()
    {
        var (full, smoke) = (Settings(Profile.Full), Settings(Profile.Smoke));
        return
        [
            Requirement.Holds("comp0090.3.4.unseen", "The autoencoder never sees an FM-1 validation or test image (checked by image ids and by pixels).", 3, "autoencoder_unseen"),
            Requirement.Holds("comp0090.3.4.ae-falls", "The autoencoder's reconstruction error falls over its training.", 1, "autoencoder_mse_falls"),
            Requirement.Holds("comp0090.3.4.structure", "The MLP's layers before its classification layer have the names and shapes of the encoder's.", 2, "structure_matches"),
            Requirement.Holds("comp0090.3.4.copied", "Encoder init copies every encoder weight into the MLP bit for bit.", 3, "encoder_copied"),
            .. FractionSweep.Requirements("3.4", Encoder, Random, full.Fractions, smoke.Fractions, nestedPoints: 3, curvesPoints: 2, crossoverPoints: 3),
            Calibration.AtLeast("comp0090.3.4.encoder-accuracy", "FM-1 test accuracy of the best encoder-init MLP", 2, "encoder_best_test_accuracy",
                FullEncoderAccuracy, 0.85, SmokeEncoderAccuracy, smoke.Scale),
            Calibration.AtLeast("comp0090.3.4.random-accuracy", "FM-1 test accuracy of the best random-init MLP", 1, "random_best_test_accuracy",
                FullRandomAccuracy, 0.85, SmokeRandomAccuracy, smoke.Scale),
        ];
    }

    protected override void RunOnOneThread(RunContext ctx, Settings_ s)
    {
        var data = ctx.Data.FashionMnist();
        var partition = FashionHalves.Partition(data, ctx.Seed);
        var fm1 = FashionHalves.Load(ctx, 1, s.Data);
        var fm2 = FashionHalves.Load(ctx, 2, s.Data);
        using var autoencoder = Pretrain(ctx, s, partition, fm1, fm2);

        CheckStructureAndCopy(ctx, s, autoencoder);
        var fractions = FractionSweep.Fractions(s.Fractions);
        var subsets = FractionSweep.Subsets(ctx, fm1.Train, fractions);
        Init[] inits =
        [
            new(Random, () => { manual_seed(ctx.Seed); return new EncoderMlp(s.Widths); }),
            new(Encoder, () => { manual_seed(ctx.Seed); var m = new EncoderMlp(s.Widths); m.CopyEncoder(autoencoder); return m; }),
        ];
        var points = FractionSweep.Run(ctx, "3.4", fm1.Train, fractions, subsets, inits,
            (model, part, label) => ConvergenceTraining.Fit(ctx, label, model, s.Optimizer, s.LearningRate, s.Training, part, fm1.Validation, fm1.Test));
        FractionSweep.Record(ctx, points, [inits[1], inits[0]], "MLP", s.Training);
    }

    /// <summary>The autoencoder on FM-2's three parts and FM-1's training part, after checking that FM-1's other parts are not among them.</summary>
    private static MlpAutoencoder Pretrain(RunContext ctx, Settings_ s, FashionPartition partition, FashionHalf fm1, FashionHalf fm2)
    {
        var parts = new[] { fm2.Train, fm2.Validation, fm2.Test, fm1.Train };
        var ids = fm2.Ids.All.Concat(fm1.Ids.Train).ToArray();
        var forbidden = partition.Fm1.Validation.Concat(partition.Fm1.Test).ToHashSet();
        var forbiddenPixels = forbidden.Select(i => partition.Pixels[i]).ToHashSet();
        var seenIds = ids.Count(forbidden.Contains);
        var seenPixels = ids.Count(i => forbiddenPixels.Contains(partition.Pixels[i]));
        ctx.Check("autoencoder_unseen", new Findings()
                .Expect(seenIds == 0, () => $"{seenIds} of the autoencoder's images are FM-1 validation or test images (by id)")
                .Expect(seenPixels == 0, () => $"{seenPixels} of the autoencoder's images have the pixels of an FM-1 validation or test image")
                .Expect(ids.Length == parts.Sum(p => p.Count), () => $"{ids.Length} ids for {parts.Sum(p => p.Count)} images"),
            $"its {Show.Count(ids.Length)} images (FM-2 train, validation, test and FM-1 train) share no id and no pixels with the {Show.Count(forbidden.Count)} FM-1 validation and test images");
        ctx.Value("autoencoder_images", ids.Length);

        var images = new ImageDataSet("autoencoder data", cat(parts.Select(p => p.Images).ToList(), 0), cat(parts.Select(p => p.Labels).ToList(), 0), fm2.Train.ClassNames);
        manual_seed(ctx.Seed);
        var model = new MlpAutoencoder(s.Widths);
        model.to(ctx.Device);
        TrainingRecorder.RecordArchitecture(ctx, model, [1, 28, 28], "autoencoder_", "Autoencoder");
        var r = ctx.Timed("autoencoder", () => ctx.Train("3.4 autoencoder", model, s.Autoencoder.Recipe, new ReconstructionObjective(model, images, fm2.Test, ctx.Device)));
        var train = r.Series(Metric.TrainLoss);
        var monitored = r.Series(Metric.TestLoss);
        ctx.Series("autoencoder_train_mse", train);
        ctx.Series("autoencoder_fm2_test_mse", monitored);
        ctx.Value("autoencoder_mse", monitored[^1]);
        ctx.Check("autoencoder_mse_falls", monitored[^1] < monitored[0] && train[^1] < train[0],
            $"MSE on its FM-2 test images {Show.Fixed(monitored[0], 5)} after epoch 1, {Show.Fixed(monitored[^1], 5)} after epoch {monitored.Length}");
        var epochs = Enumerable.Range(1, train.Length).Select(e => (double)e).ToArray();
        ctx.Figure("autoencoder_mse", "Autoencoder: reconstruction MSE per epoch on its training batches and on FM-2's test images (part of its data; FM-1's validation and test images are never shown to it).",
            new LineChartSpec("Autoencoder: reconstruction error", "epoch", "mean squared error", [new("training batches", epochs, train), new("FM-2 test images", epochs, monitored)]));
        Reconstructions(ctx, model, fm1.Train, fm2.Test);
        images.Images.Dispose(); images.Labels.Dispose();
        TrainingRecorder.RecordTiming(ctx, r, "autoencoder_");
        return model;
    }

    private static void Reconstructions(RunContext ctx, MlpAutoencoder model, params ImageDataSet[] sets)
    {
        var tiles = new List<GridImage>();
        model.eval();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var set in sets)
        {
            var x = set.Gather(arange(0, 5, dtype: ScalarType.Int64)).to(ctx.Device);
            var y = model.call(x);
            for (int i = 0; i < 5; i++) tiles.Add(new GridImage($"{set.Name} {i + 1}", T3_3FeatureMaps.Pixels(x[i])));
            for (int i = 0; i < 5; i++) tiles.Add(new GridImage("reconstruction", T3_3FeatureMaps.Pixels(y[i])));
        }
        ctx.Figure("reconstructions", "Autoencoder: five images of FM-1's training part and of FM-2's test part (first and third row) and their reconstructions.",
            new ImageGridSpec("Reconstructions", 28, 28, 1, 5, tiles));
    }

    /// <summary>The MLP's encoder layers against the autoencoder's (names, shapes), and a copy of its weights compared bit for bit.</summary>
    private static void CheckStructureAndCopy(RunContext ctx, Settings_ s, MlpAutoencoder autoencoder)
    {
        var encoder = autoencoder.EncoderParameters.ToList();
        manual_seed(ctx.Seed);
        using var mlp = new EncoderMlp(s.Widths);
        TrainingRecorder.RecordArchitecture(ctx, mlp, [1, 28, 28], "mlp_", "MLP");
        var layers = mlp.named_parameters().Where(p => !p.name.StartsWith(ConvNet.Classifier, StringComparison.Ordinal)).ToList();
        string Shape(Tensor t) => string.Join("×", t.shape);
        var structure = new Findings()
            .Expect(layers.Select(p => p.name).SequenceEqual(encoder.Select(p => p.Name)), () => $"MLP {string.Join(", ", layers.Select(p => p.name))}; encoder {string.Join(", ", encoder.Select(p => p.Name))}");
        foreach (var (a, b) in layers.Zip(encoder))
            structure.Expect(a.parameter.shape.SequenceEqual(b.Parameter.shape), () => $"{a.name}: {Shape(a.parameter)} in the MLP, {Shape(b.Parameter)} in the encoder");
        ctx.Check("structure_matches", structure, string.Join(", ", encoder.Select(p => $"{p.Name} {Shape(p.Parameter)}")) + " in both");

        mlp.CopyEncoder(autoencoder);
        var mine = mlp.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var copied = new Findings();
        foreach (var (name, p) in encoder)
            copied.Expect(TensorDiff.Describe(mine[name].detach().cpu(), p.detach().cpu()) is null, () => $"{name}: {TensorDiff.Describe(mine[name].detach().cpu(), p.detach().cpu())}");
        ctx.Check("encoder_copied", copied, $"all {encoder.Count} encoder tensors ({Show.Count(encoder.Sum(p => p.Parameter.numel()))} weights) equal bit for bit after the copy");
    }
}
