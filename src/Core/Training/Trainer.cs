using System.Diagnostics;
using System.Globalization;
using Harness.Core.Data;
using Harness.Core.Experiments;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>
/// The one training loop of the harness. It owns the epochs, the seeded batch order (a new permutation per epoch from
/// (seed, epoch)), the NaN/inf stop, progress, best-epoch selection and early stopping, and a checkpoint after every
/// epoch from which an interrupted run resumes bit for bit on CPU. What a step computes and what is measured between
/// epochs comes from the <see cref="IObjective"/>; the update rule from the <see cref="TrainingRecipe"/>. Frozen
/// parameters (requires_grad = false) are left out of the optimiser.
/// </summary>
public sealed class Trainer(nn.Module model, TrainingRecipe recipe, IObjective objective, Device device, IProgressSink progress)
{
    public string Label { get; init; } = "train";
    /// <summary>Where to save a checkpoint after every epoch and resume from after an interruption; none by default.</summary>
    public TrainingCheckpoint? Checkpoint { get; init; }
    /// <summary>Called after each epoch (tests interrupt a run here).</summary>
    public Action<int>? AfterEpoch { get; init; }
    /// <summary>
    /// A checkpoint is skipped when the previous one is more recent than this (epochs of milliseconds would spend more
    /// time saving than training); the last epoch is always saved, so a finished training replays from its checkpoint.
    /// </summary>
    public TimeSpan MinCheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TrainingResult Fit(int seed)
    {
        model.to(device);
        var trainable = model.parameters().Where(p => p.requires_grad).ToList();
        if (trainable.Count == 0) throw new HarnessException($"{Label}: every parameter is frozen; nothing to train.");
        using var optimizer = recipe.Optimizer(trainable);
        var select = objective.Selection;
        var epochs = new List<EpochResult>();
        Dictionary<string, Tensor>? best = null;
        double bestScore = double.NegativeInfinity;
        int bestEpoch = 0;
        long seen = 0;
        double secondsBefore = 0, stepSeconds = 0;
        var fingerprint = Fingerprint(seed);
        bool keepSnapshots = select.Metric is not null;
        int resumedAfter = 0;

        if (Checkpoint?.TryLoadProgress(fingerprint) is { } saved)
        {
            best = Checkpoint.Restore(saved, model, optimizer);
            epochs.AddRange(saved.Epochs);
            resumedAfter = saved.Epochs.Count;
            (bestScore, bestEpoch, seen, secondsBefore, stepSeconds) = (saved.BestScore, saved.BestEpoch, saved.ImagesSeen, saved.Seconds, saved.StepSeconds);
            progress.Message($"{Label}: resuming after epoch {saved.Epochs.Count} of {recipe.Epochs} from the checkpoint {Checkpoint.Path}");
        }

        var clock = Stopwatch.StartNew();
        var sinceCheckpoint = Stopwatch.StartNew();
        int batchesPerEpoch = BatchesPerEpoch();
        long global = (long)epochs.Count * batchesPerEpoch;
        for (int epoch = epochs.Count + 1; epoch <= recipe.Epochs && !PatienceExhausted(epochs.Count, bestEpoch); epoch++)
        {
            model.train();
            double lossSum = 0; long correct = 0, count = 0;
            bool counted = false;
            var stepClock = Stopwatch.StartNew();
            using (var bar = progress.Start($"{Label} epoch {epoch}/{recipe.Epochs}", batchesPerEpoch))
            {
                int b = 0;
                foreach (var rows in Order(seed, epoch))
                {
                    int size = rows?.Length ?? objective.TrainCount;
                    using (var scope = NewDisposeScope())
                    {
                        optimizer.ZeroGrad();
                        var output = objective.Step(new Batch(rows, size, epoch, b, global));
                        var lv = output.Loss.item<float>();
                        if (!float.IsFinite(lv))
                            throw new TrainingDivergedException($"{Label}: the loss became {lv.ToString(CultureInfo.InvariantCulture)} at epoch {epoch}, batch {b + 1}. Lower the learning rate or check the inputs for NaN.");
                        output.Loss.backward();
                        lossSum += lv * size;
                        if (output.Correct is { } c) { correct += c.item<long>(); counted = true; }
                    }
                    // Outside the batch's scope: an update must not have its own temporaries collected by it.
                    optimizer.Step();
                    count += size; seen += size; b++; global++;
                    bar.Advance(1, $"loss {lossSum / count:0.0000}");
                }
            }
            stepSeconds += stepClock.Elapsed.TotalSeconds;

            var metrics = new Dictionary<string, double> { [Metric.TrainLoss] = lossSum / count };
            if (counted) metrics[Metric.TrainAccuracy] = (double)correct / count;
            foreach (var (name, value) in objective.Evaluate()) metrics[name] = value;
            var r = new EpochResult(epoch, metrics);
            epochs.Add(r);
            progress.Message($"{Label} epoch {epoch}: " + string.Join(", ", metrics.Select(m => $"{m.Key.Replace('_', ' ')} {Show(m.Key, m.Value)}")));

            var score = select.Score(r);
            if (score > bestScore)
            {
                bestScore = score; bestEpoch = epoch;
                if (keepSnapshots) { ModelState.Dispose(best); best = ModelState.Snapshot(model); }
            }
            optimizer.EndEpoch();
            bool last = epoch == recipe.Epochs || PatienceExhausted(epochs.Count, bestEpoch);
            if (Checkpoint is not null && (last || sinceCheckpoint.Elapsed >= MinCheckpointInterval))
            {
                Checkpoint.Save(new CheckpointProgress(fingerprint, epochs.ToList(), bestEpoch, bestScore, seen,
                    secondsBefore + clock.Elapsed.TotalSeconds, stepSeconds, ""), model, best, optimizer);
                sinceCheckpoint.Restart();
            }
            AfterEpoch?.Invoke(epoch);
        }
        var seconds = secondsBefore + clock.Elapsed.TotalSeconds;
        if (recipe.KeepBest && best is not null) ModelState.Restore(model, best);
        ModelState.Dispose(best);
        return new TrainingResult(epochs, bestEpoch, select.Description, seconds, seen / Math.Max(stepSeconds, 1e-9),
            StoppedEarly: epochs.Count < recipe.Epochs, StepSeconds: stepSeconds, ResumedAfter: resumedAfter);
    }

    private bool PatienceExhausted(int epochsDone, int bestEpoch) => recipe.Patience is { } p && epochsDone - bestEpoch >= p;

    private int BatchesPerEpoch()
    {
        int n = recipe.FullBatch ? 1 : Batches.CountOf(objective.TrainCount, recipe.BatchSize);
        return recipe.MaxBatches is { } max ? Math.Min(max, n) : n;
    }

    /// <summary>The epoch's batches: a seeded permutation cut into batches, or the whole set in order (full batch).</summary>
    private IEnumerable<long[]?> Order(int seed, int epoch)
    {
        IEnumerable<long[]?> batches = recipe.FullBatch ? new long[]?[] { null } : Batches.Shuffled(objective.TrainCount, recipe.BatchSize, seed, epoch).Select(b => (long[]?)b);
        return recipe.MaxBatches is { } max ? batches.Take(max) : batches;
    }

    static string Show(string metric, double v) => metric.EndsWith("accuracy", StringComparison.Ordinal)
        ? v.ToString("P2", CultureInfo.InvariantCulture) : v.ToString("0.00000", CultureInfo.InvariantCulture);

    /// <summary>What a checkpoint must match to be resumed: label, recipe, seed, the data the objective trains on, and the trainable parameters' names and shapes.</summary>
    private string Fingerprint(int seed) =>
        string.Join("|", new object[] { Label, recipe.Epochs, recipe.BatchSize, recipe.FullBatch, recipe.Patience ?? 0, recipe.MaxBatches ?? 0, seed, objective.TrainCount, objective.Fingerprint }
            .Concat(model.named_parameters().Select(p => $"{p.name}:{string.Join('x', p.parameter.shape)}:{p.parameter.requires_grad}")));
}
