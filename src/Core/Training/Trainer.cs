using System.Diagnostics;
using Harness.Core.Data;
using Harness.Core.Experiments;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>Epochs and batch sizes of one training run.</summary>
public sealed record TrainConfig(int Epochs, int BatchSize, int EvalBatchSize = 1000);

/// <summary>One epoch's measurements (validation is absent when training without a validation split).</summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy,
    double TestLoss, double TestAccuracy);

/// <summary>All epochs, which one was best (by validation accuracy, or test accuracy without validation) and its speed.</summary>
public sealed record TrainingResult(IReadOnlyList<EpochResult> Epochs, int BestEpoch, string SelectedBy, double Seconds, double ImagesPerSecond)
{
    public EpochResult Best => Epochs[BestEpoch - 1];
    public EpochResult Last => Epochs[^1];
}

/// <summary>The loss became NaN or infinite: training stops at once with the place it happened.</summary>
public sealed class TrainingDivergedException(string message) : HarnessException(message);

/// <summary>
/// Mini-batch training of a classifier with per-epoch train/validation/test loss and accuracy, seeded shuffles,
/// optional batch-level augmentation, frozen parameters left out of the optimiser, a NaN/inf stop, and the best
/// epoch's weights restored at the end.
/// </summary>
public sealed class Trainer(nn.Module<Tensor, Tensor> model, Func<IEnumerable<Parameter>, optim.Optimizer> optimizer,
    TrainConfig config, Device device, IProgressSink progress)
{
    /// <summary>Loss of logits against int64 targets; cross-entropy unless replaced.</summary>
    public Func<Tensor, Tensor, Tensor> Loss { get; init; } = (logits, y) => nn.functional.cross_entropy(logits, y);
    /// <summary>Batch-level augmentation of training images (seeded by the caller); none by default.</summary>
    public Func<Tensor, int, Tensor>? Augment { get; init; }
    /// <summary>Called after each epoch.</summary>
    public Action<int>? AfterEpoch { get; init; }
    /// <summary>A learning-rate schedule over the optimiser, stepped once per epoch.</summary>
    public Func<optim.Optimizer, optim.lr_scheduler.LRScheduler>? Schedule { get; init; }
    /// <summary>Keep the best epoch's weights in the model at the end (otherwise the last epoch's stay).</summary>
    public bool RestoreBest { get; init; } = true;
    public string Label { get; init; } = "train";
    /// <summary>Where to save a checkpoint after every epoch and resume from after an interruption; none by default.</summary>
    public TrainingCheckpoint? Checkpoint { get; init; }

    public TrainingResult Fit(ImageDataSet train, ImageDataSet? validation, ImageDataSet test, int seed)
    {
        model.to(device);
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0) throw new HarnessException($"{Label}: every parameter is frozen; nothing to train.");
        using var opt = optimizer(trainable);
        var schedule = Schedule?.Invoke(opt);
        var epochs = new List<EpochResult>();
        Dictionary<string, Tensor>? best = null;
        double bestScore = double.NegativeInfinity;
        int bestEpoch = 0;
        var clock = Stopwatch.StartNew();
        double secondsBefore = 0;
        long seen = 0;
        var selectedBy = validation is null ? "test accuracy" : "validation accuracy";
        var checkpoint = Checkpoint is not null && TrainingCheckpoint.Supports(opt) ? Checkpoint : null;
        var fingerprint = Fingerprint(train, validation, test, seed);
        if (checkpoint?.TryLoadProgress(fingerprint) is { } saved)
        {
            // The schedule is replayed before the optimiser state is loaded, so both end at the saved epoch.
            for (int i = 0; i < saved.Epochs.Count; i++) schedule?.step();
            best = checkpoint.Restore(saved, model, opt);
            epochs.AddRange(saved.Epochs);
            (bestScore, bestEpoch, seen, secondsBefore) = (saved.BestScore, saved.BestEpoch, saved.ImagesSeen, saved.Seconds);
            progress.Message($"{Label}: resuming after epoch {saved.Epochs.Count} of {config.Epochs} from the checkpoint {checkpoint.Path}");
        }

        for (int epoch = epochs.Count + 1; epoch <= config.Epochs; epoch++)
        {
            model.train();
            double lossSum = 0; long correct = 0, count = 0;
            int nBatches = Batches.CountOf(train.Count, config.BatchSize);
            using (var bar = progress.Start($"{Label} epoch {epoch}/{config.Epochs}", nBatches))
            {
                int b = 0;
                foreach (var idx in Batches.Shuffled(train.Count, config.BatchSize, seed, epoch))
                {
                    using var scope = NewDisposeScope();
                    using var index = tensor(idx, dtype: int64);
                    var x = train.Images.index_select(0, index).to(device);
                    var y = train.Labels.index_select(0, index).to(device);
                    if (Augment is not null) x = Augment(x, epoch);
                    opt.zero_grad();
                    var logits = model.call(x);
                    var loss = Loss(logits, y);
                    var lv = loss.item<float>();
                    if (!float.IsFinite(lv))
                        throw new TrainingDivergedException($"{Label}: the loss became {lv} at epoch {epoch}, batch {b + 1}. Lower the learning rate or check the inputs for NaN.");
                    loss.backward();
                    opt.step();
                    lossSum += lv * idx.Length;
                    correct += logits.argmax(1).eq(y).sum().item<long>();
                    count += idx.Length;
                    seen += idx.Length;
                    b++;
                    bar.Advance(1, $"loss {lossSum / count:0.0000}");
                }
            }
            var (valLoss, valAcc) = validation is null ? ((double?)null, (double?)null) : Evaluate(validation);
            var (testLoss, testAcc) = Evaluate(test);
            var r = new EpochResult(epoch, lossSum / count, (double)correct / count, valLoss, valAcc, testLoss, testAcc);
            epochs.Add(r);
            progress.Message($"{Label} epoch {epoch}: train loss {r.TrainLoss:0.0000} acc {r.TrainAccuracy:P2}"
                + (valAcc is null ? "" : $", val loss {valLoss:0.0000} acc {valAcc:P2}") + $", test loss {testLoss:0.0000} acc {testAcc:P2}");
            var score = valAcc ?? testAcc;
            if (score > bestScore)
            {
                bestScore = score; bestEpoch = epoch;
                ModelState.Dispose(best);
                best = ModelState.Snapshot(model);
            }
            schedule?.step();
            checkpoint?.Save(new CheckpointProgress(fingerprint, epochs.ToList(), bestEpoch, bestScore, seen,
                secondsBefore + clock.Elapsed.TotalSeconds, ""), model, best!, opt);
            AfterEpoch?.Invoke(epoch);
        }
        var seconds = secondsBefore + clock.Elapsed.TotalSeconds;
        if (RestoreBest && best is not null) ModelState.Restore(model, best);
        ModelState.Dispose(best);
        return new TrainingResult(epochs, bestEpoch, selectedBy, seconds, seen / Math.Max(seconds, 1e-9));
    }

    public (double Loss, double Accuracy) Evaluate(ImageDataSet data) =>
        Evaluation.LossAndAccuracy(model, data, device, config.EvalBatchSize, Loss);

    /// <summary>What a checkpoint must match to be resumed: the label, the epochs and batch size, the parameters' names and shapes, the data sizes and the seed.</summary>
    private string Fingerprint(ImageDataSet train, ImageDataSet? validation, ImageDataSet test, int seed) =>
        string.Join("|", new object[] { Label, config.Epochs, config.BatchSize, seed, train.Count, validation?.Count ?? 0, test.Count }
            .Concat(model.named_parameters().Select(p => $"{p.name}:{string.Join('x', p.parameter.shape)}:{p.parameter.requires_grad}")));
}
