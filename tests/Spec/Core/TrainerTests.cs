using FluentAssertions;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Metrics;
using Harness.Core.Training;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Spec.Core;

[Property("Area", "Training")]
public sealed class TrainerTests
{
    private sealed class Tiny : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear fc1, fc2;
        public Tiny() : base("Tiny") { fc1 = nn.Linear(16, 8); fc2 = nn.Linear(8, 2); RegisterComponents(); }
        public override Tensor forward(Tensor x) => fc2.call(nn.functional.relu(fc1.call(x.flatten(1))));
    }

    private static ImageDataSet Blobs(int n, int seed)
    {
        var g = new SeededRandom(seed);
        var labels = Enumerable.Range(0, n).Select(i => (long)(i % 2)).ToArray();
        var pixels = new float[n * 16];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 16; j++)
                pixels[i * 16 + j] = (float)(g.NextDouble() * 0.5 + (labels[i] == 1 ? 0.5 : 0));
        return new ImageDataSet("blobs", tensor(pixels).reshape(n, 1, 4, 4), tensor(labels), new[] { "a", "b" });
    }

    /// <summary>A classifier trainer over the given splits (SGD unless another update rule is given).</summary>
    private static Trainer Make(nn.Module<Tensor, Tensor> m, double lr, ImageDataSet train, ImageDataSet? validation, ImageDataSet test, int epochs = 3,
        OptimizerSpec? optimizer = null, TrainingCheckpoint? checkpoint = null, Action<int>? afterEpoch = null, int? patience = null) =>
        new(m, new TrainingRecipe(epochs, 16, optimizer ?? new OptimizerSpec("SGD", lr)) { Patience = patience },
            new ClassifierObjective(m, train, validation, test, CPU), CPU, LineProgress.Silent) { Checkpoint = checkpoint, AfterEpoch = afterEpoch };

    [Test]
    public void Learns_a_separable_problem_and_records_every_epoch()
    {
        manual_seed(1);
        using var m = new Tiny();
        var r = Make(m, 0.5, Blobs(128, 1), Blobs(32, 2), Blobs(64, 3), epochs: 5).Fit(seed: 1);
        r.Epochs.Should().HaveCount(5);
        r.Best.TestAccuracy.Should().BeGreaterThan(0.9);
        r.SelectedBy.Should().Be("validation accuracy");
        TrainingRecorderLossFalls(r).Should().BeTrue();
    }

    private static bool TrainingRecorderLossFalls(TrainingResult r) => Harness.Core.Experiments.TrainingRecorder.LossFalls(r.Epochs);

    [Test]
    public void Stops_with_a_clear_error_when_the_loss_becomes_nan()
    {
        manual_seed(1);
        using var m = new Tiny();
        var bad = Blobs(64, 1);
        bad.Images[3, 0, 0, 0] = float.NaN;
        var act = () => Make(m, 0.1, bad, null, Blobs(16, 2)).Fit(1);
        act.Should().Throw<TrainingDivergedException>().WithMessage("*loss became NaN at epoch 1, batch*learning rate*");
    }

    [Test]
    public void Frozen_parameters_stay_bit_for_bit_and_the_rest_train()
    {
        manual_seed(1);
        using var m = new Tiny();
        ModelState.FreezeAllExcept(m, "fc2.");
        var before = ModelState.Snapshot(m);
        Make(m, 0.5, Blobs(64, 1), null, Blobs(16, 2), epochs: 2).Fit(1);
        ModelState.ChangedTensors(before, ModelState.Snapshot(m)).Should().BeEquivalentTo(new[] { "fc2.weight", "fc2.bias" });
    }

    [Test]
    public void Everything_frozen_is_an_error()
    {
        using var m = new Tiny();
        ModelState.FreezeAllExcept(m);
        var act = () => Make(m, 0.1, Blobs(16, 1), null, Blobs(16, 2)).Fit(1);
        act.Should().Throw<Harness.Core.Experiments.HarnessException>().WithMessage("*frozen*");
    }

    [Test]
    public void Same_seed_gives_the_same_curve()
    {
        double[] Curve()
        {
            manual_seed(5);
            using var m = new Tiny();
            return Make(m, 0.3, Blobs(64, 1), null, Blobs(16, 2)).Fit(9).Epochs.Select(e => e.TrainLoss).ToArray();
        }
        Curve().Should().Equal(Curve());
    }

    private sealed class TinyWithDropout : nn.Module<Tensor, Tensor>
    {
        private readonly TorchSharp.Modules.Linear fc1, fc2;
        private readonly TorchSharp.Modules.Dropout drop;
        public TinyWithDropout() : base("TinyWithDropout") { fc1 = nn.Linear(16, 8); drop = nn.Dropout(0.5); fc2 = nn.Linear(8, 2); RegisterComponents(); }
        public override Tensor forward(Tensor x) => fc2.call(drop.call(nn.functional.relu(fc1.call(x.flatten(1)))));
    }

    private sealed class Interrupted : Exception;

    [Test]
    public void An_interrupted_run_resumes_from_its_checkpoint_bit_for_bit()
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            // Dropout (global generator), Adam's moments and a step schedule all have to survive the restart.
            var trained = new List<int>();
            (TrainingResult Result, Dictionary<string, Tensor> Weights) Train(string? checkpoint, int? stopAfter)
            {
                trained.Clear();
                manual_seed(7);
                using var m = new TinyWithDropout();
                var trainer = new Trainer(m, new TrainingRecipe(4, 16, new OptimizerSpec("Adam", 0.05, StepDecay: 0.5)),
                    new ClassifierObjective(m, Blobs(96, 1), Blobs(32, 2), Blobs(32, 3), CPU), CPU, LineProgress.Silent)
                {
                    Checkpoint = checkpoint is null ? null : new TrainingCheckpoint(checkpoint),
                    AfterEpoch = e => { trained.Add(e); if (e == stopAfter) throw new Interrupted(); },
                    CheckpointShare = 1,
                };
                var r = trainer.Fit(seed: 3);
                return (r, ModelState.Snapshot(m));
            }

            var straight = Train(null, null);
            var ckpt = Path.Combine(folder, "tiny");
            var act = () => Train(ckpt, stopAfter: 2);
            act.Should().Throw<Interrupted>();
            File.Exists(ckpt + ".json").Should().BeTrue();
            var resumed = Train(ckpt, null);

            trained.Should().Equal(new[] { 3, 4 }, "only the epochs after the checkpoint are trained again");
            resumed.Result.ResumedAfter.Should().Be(2);
            straight.Result.ResumedAfter.Should().Be(0);
            resumed.Result.Epochs.Should().Equal(straight.Result.Epochs);
            resumed.Result.BestEpoch.Should().Be(straight.Result.BestEpoch);
            ModelState.ChangedTensors(straight.Weights, resumed.Weights).Should().BeEmpty();
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_run_with_a_custom_update_rule_resumes_bit_for_bit_too()
    {
        // hw4's point optimiser (Adam written out, rate per step): its moments and step count travel in the checkpoint.
        var folder = Path.Combine(Path.GetTempPath(), "harness-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            (TrainingResult Result, Dictionary<string, Tensor> Weights) Train(string? checkpoint, int? stopAfter)
            {
                manual_seed(11);
                using var m = new Tiny();
                double Rate(int t) => 0.05 * (1 + Math.Cos(Math.PI * t / 24.0)) / 2;
                var trainer = new Trainer(m, new TrainingRecipe(4, 16, ps => new Harness.Tasks.Hw4.PointOptimizer(ps, "adam", Rate)),
                    new ClassifierObjective(m, Blobs(96, 1), null, Blobs(32, 3), CPU), CPU, LineProgress.Silent)
                {
                    Checkpoint = checkpoint is null ? null : new TrainingCheckpoint(checkpoint),
                    AfterEpoch = e => { if (e == stopAfter) throw new Interrupted(); },
                    CheckpointShare = 1,
                };
                return (trainer.Fit(seed: 5), ModelState.Snapshot(m));
            }
            var straight = Train(null, null);
            var ckpt = Path.Combine(folder, "points");
            var act = () => Train(ckpt, stopAfter: 3);
            act.Should().Throw<Interrupted>();
            var resumed = Train(ckpt, null);
            resumed.Result.ResumedAfter.Should().Be(3);
            resumed.Result.Epochs.Should().Equal(straight.Result.Epochs);
            ModelState.ChangedTensors(straight.Weights, resumed.Weights).Should().BeEmpty();
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void A_checkpoint_of_different_settings_is_ignored()
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ckpt = new TrainingCheckpoint(Path.Combine(folder, "tiny"));
            manual_seed(1);
            using (var m = new Tiny())
                Make(m, 0.3, Blobs(64, 1), null, Blobs(16, 2), epochs: 2, checkpoint: ckpt).Fit(1);
            manual_seed(1);
            using var other = new Tiny();
            // Three epochs instead of two: the saved run is a different run and must not be continued.
            var r = Make(other, 0.3, Blobs(64, 1), null, Blobs(16, 2), epochs: 3, checkpoint: ckpt).Fit(1);
            manual_seed(1);
            using var plain = new Tiny();
            var expected = Make(plain, 0.3, Blobs(64, 1), null, Blobs(16, 2)).Fit(1);
            r.Epochs.Should().Equal(expected.Epochs);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Early_stopping_ends_after_patience_epochs_without_improvement_and_a_resumed_run_does_not_go_on()
    {
        var folder = Path.Combine(Path.GetTempPath(), "harness-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            TrainingResult Run()
            {
                manual_seed(3);
                using var m = new Tiny();
                // Separable blobs reach 100% validation accuracy quickly; after that nothing improves.
                return Make(m, 0.5, Blobs(128, 1), Blobs(32, 2), Blobs(32, 3), epochs: 30, patience: 2,
                    checkpoint: new TrainingCheckpoint(Path.Combine(folder, "tiny"))).Fit(1);
            }
            var r = Run();
            r.StoppedEarly.Should().BeTrue();
            r.Epochs.Count.Should().Be(r.BestEpoch + 2);
            var again = Run();
            again.ResumedAfter.Should().Be(r.Epochs.Count, "the finished run replays from its last checkpoint");
            again.Epochs.Should().Equal(r.Epochs);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void Full_batch_training_takes_every_row_in_order_once_per_epoch()
    {
        var seen = new List<Batch>();
        manual_seed(1);
        using var m = new Tiny();
        var objective = new Recording(m, 48, seen);
        new Trainer(m, new TrainingRecipe(3, 1000, new OptimizerSpec("SGD", 0.1)) { FullBatch = true }, objective, CPU, LineProgress.Silent).Fit(1);
        seen.Should().HaveCount(3).And.OnlyContain(b => b.Rows == null && b.Size == 48);
        seen.Select(b => b.Global).Should().Equal(0L, 1L, 2L);
    }

    [Test]
    public void Shuffled_batches_cover_the_set_once_per_epoch_in_an_order_seeded_by_seed_and_epoch()
    {
        var seen = new List<Batch>();
        manual_seed(1);
        using var m = new Tiny();
        new Trainer(m, new TrainingRecipe(2, 10, new OptimizerSpec("SGD", 0.1)), new Recording(m, 45, seen), CPU, LineProgress.Silent).Fit(7);
        seen.Should().HaveCount(10);
        foreach (var epoch in new[] { 1, 2 })
            seen.Where(b => b.Epoch == epoch).SelectMany(b => b.Rows!).Order().Should().Equal(Enumerable.Range(0, 45).Select(i => (long)i));
        seen.First(b => b.Epoch == 1).Rows.Should().NotEqual(seen.First(b => b.Epoch == 2).Rows, "every epoch has its own order");
        seen.Select(b => b.Number).Should().Equal(0, 1, 2, 3, 4, 0, 1, 2, 3, 4);
    }

    /// <summary>An objective that records the batches it is given and returns a loss that depends on the model.</summary>
    private sealed class Recording(nn.Module<Tensor, Tensor> model, int count, List<Batch> seen) : IObjective
    {
        private readonly Tensor _x = rand(1, 1, 4, 4);
        public int TrainCount => count;
        public StepOutput Step(Batch batch) { seen.Add(batch); return new(model.call(_x).sum()); }
        public IReadOnlyDictionary<string, double> Evaluate() => new Dictionary<string, double>();
        public Selection Selection => Selection.LastEpoch;
        public string Fingerprint => "recording";
    }

    [Test]
    public void Parameter_counts_and_confusion_matrix()
    {
        using var m = new Tiny();
        ModelSummary.ParameterCounts(m).Should().Equal(("fc1", 136L), ("fc2", 18L));
        var cm = Classification.ConfusionMatrix(new long[] { 0, 1, 1, 0 }, new long[] { 0, 1, 0, 0 }, 2);
        cm[0, 0].Should().Be(2); cm[0, 1].Should().Be(1); cm[1, 1].Should().Be(1);
        Classification.PerClassAccuracy(cm).Should().Equal(2 / 3.0, 1.0);
    }

    [Test]
    public void Missing_data_set_names_the_folders_and_the_fix()
    {
        var options = new HarnessOptions { DataRoots = new[] { "/nonexistent/root" }, AllowDownload = false };
        var act = () => new DataSets(options, LineProgress.Silent).Mnist();
        act.Should().Throw<DataFileException>().WithMessage("*MNIST not found*/nonexistent/root/mnist*--data-root*AllowDownload*");
    }
}
