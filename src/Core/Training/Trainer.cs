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
/// <para>Nothing is read back from the device per batch: the loss sum (float64, in batch order, exactly as a host-side
/// sum of loss × batch size) and the correct count accumulate on the device, and each batch's loss is written into a
/// device vector; they are read when progress is shown and once at the end of the epoch. A non-finite loss is caught
/// at the next read and reported with the batch it first appeared in.</para>
/// </summary>
public sealed class Trainer(nn.Module model, TrainingRecipe recipe, IObjective objective, Device device, IProgressSink progress)
{
    /// <summary>How many of the first epoch's batch losses the result keeps (reproducibility probes compare them).</summary>
    public const int FirstLossesKept = 16;

    public string Label { get; init; } = "train";
    /// <summary>How progress lines name this training (the run context adds the assignment to the label).</summary>
    public string? ProgressName { get; init; }
    private string Name => ProgressName ?? Label;
    /// <summary>Where to save a checkpoint after every epoch and resume from after an interruption; none by default.</summary>
    public TrainingCheckpoint? Checkpoint { get; init; }
    /// <summary>Called after each epoch (tests interrupt a run here).</summary>
    public Action<int>? AfterEpoch { get; init; }
    /// <summary>
    /// Checkpoints take at most about this share of the training time: after an epoch, one is saved when at least
    /// 1/share times as long as the last save took has passed since it (epochs of milliseconds would otherwise spend
    /// more time saving than training). The first and the last epoch are always saved, so a finished training replays
    /// from its checkpoint. 1 saves after every epoch.
    /// </summary>
    public double CheckpointShare { get; init; } = 0.1;

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
        int bestEpoch = 0, resumedAfter = 0;
        long seen = 0;
        var time = new Seconds();
        float[] firstLosses = [];
        var fingerprint = Fingerprint(seed);
        bool keepSnapshots = select.Metric is not null;

        if (Checkpoint?.TryLoadProgress(fingerprint, progress.Message) is { } saved)
        {
            best = Checkpoint.Restore(saved, model, optimizer);
            epochs.AddRange(saved.Epochs);
            resumedAfter = saved.Epochs.Count;
            (bestScore, bestEpoch, seen, firstLosses) = (saved.BestScore, saved.BestEpoch, saved.ImagesSeen, saved.FirstLosses);
            time = new Seconds(saved.Seconds, saved.StepSeconds, saved.EvalSeconds, saved.CheckpointSeconds);
            progress.Message($"{Label}: resuming after epoch {saved.Epochs.Count} of {recipe.Epochs} from the checkpoint {Checkpoint.Path}");
        }

        var clock = Stopwatch.StartNew();
        var sinceCheckpoint = Stopwatch.StartNew();
        double lastSave = 0;
        int batchesPerEpoch = BatchesPerEpoch();
        long batchesHere = 0;   // batches run by this process (a resumed run's rate is measured afresh)
        long global = (long)epochs.Count * batchesPerEpoch;
        using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
        using var correct = zeros(1, dtype: ScalarType.Int64, device: device);
        using var batchLosses = zeros(batchesPerEpoch, dtype: ScalarType.Float32, device: device);
        for (int epoch = epochs.Count + 1; epoch <= recipe.Epochs && !PatienceExhausted(epochs.Count, bestEpoch); epoch++)
        {
            // CUDA's generator (dropout on the GPU) cannot be saved through TorchSharp 0.107 (no export for it), so it is
            // reseeded from (seed, epoch) at every epoch start instead: a resumed run draws what an uninterrupted one does.
            // On CPU the generator's state is checkpointed and nothing changes here.
            if (device.type == DeviceType.CUDA) cuda.manual_seed_all(CudaEpochSeed(seed, epoch));
            model.train();
            lossSum.zero_(); correct.zero_(); batchLosses.zero_();
            long count = 0;
            bool counted = false;
            int b = 0;
            var stepClock = Stopwatch.StartNew();
            using (var bar = progress.Start($"{Name} epoch {epoch}/{recipe.Epochs}", batchesPerEpoch))
            {
                foreach (var rows in Order(seed, epoch))
                {
                    int size = rows?.Length ?? objective.TrainCount;
                    using (var scope = NewDisposeScope())
                    {
                        optimizer.ZeroGrad();
                        var output = objective.Step(new Batch(rows, size, epoch, b, global));
                        output.Loss.backward();
                        using (no_grad())
                        {
                            var loss = output.Loss.detach();
                            batchLosses[b] = loss;
                            // loss × size in float32 (as a host float times an int), summed in float64 in batch order.
                            lossSum.add_(loss.mul(size).to_type(ScalarType.Float64));
                            if (output.Correct is { } c) { correct.add_(c); counted = true; }
                        }
                    }
                    // Outside the batch's scope: an update must not have its own temporaries collected by it.
                    optimizer.Step();
                    count += size; seen += size; b++; global++;
                    int done = b; long n = count; long doneHere = ++batchesHere;
                    long remaining = batchesPerEpoch - done + (long)(recipe.Epochs - epoch) * batchesPerEpoch;
                    bar.Advance(1, () => $"loss {Finite(lossSum.item<double>(), epoch, done, batchLosses) / n:0.0000}, {Eta(clock.Elapsed, doneHere, remaining)}");
                }
            }
            time = time with { Step = time.Step + stepClock.Elapsed.TotalSeconds };

            var metrics = new Dictionary<string, double> { [Metric.TrainLoss] = Finite(lossSum.item<double>(), epoch, b, batchLosses) / count };
            if (counted) metrics[Metric.TrainAccuracy] = (double)correct.item<long>() / count;
            if (epoch == 1) firstLosses = batchLosses.cpu().data<float>().Take(Math.Min(b, FirstLossesKept)).ToArray();
            var evalClock = Stopwatch.StartNew();
            foreach (var (name, value) in objective.Evaluate()) metrics[name] = value;
            time = time with { Eval = time.Eval + evalClock.Elapsed.TotalSeconds };
            var r = new EpochResult(epoch, metrics);
            epochs.Add(r);
            progress.Message($"{Name} epoch {epoch}: " + string.Join(", ", metrics.Select(m => $"{m.Key.Replace('_', ' ')} {Show(m.Key, m.Value)}")));

            var score = select.Score(r);
            if (score > bestScore)
            {
                bestScore = score; bestEpoch = epoch;
                if (keepSnapshots) { ModelState.Dispose(best); best = ModelState.Snapshot(model); }
            }
            optimizer.EndEpoch();
            bool last = epoch == recipe.Epochs || PatienceExhausted(epochs.Count, bestEpoch);
            if (Checkpoint is not null && (last || CheckpointShare >= 1 || sinceCheckpoint.Elapsed.TotalSeconds * CheckpointShare >= lastSave))
            {
                var saveClock = Stopwatch.StartNew();
                var total = time.Whole + clock.Elapsed.TotalSeconds;
                Checkpoint.Save(new CheckpointProgress(fingerprint, epochs.ToList(), bestEpoch, bestScore, seen, total, time.Step, time.Eval,
                    time.Checkpoint, firstLosses, keepSnapshots, ""), model, best, optimizer);
                lastSave = saveClock.Elapsed.TotalSeconds;
                time = time with { Checkpoint = time.Checkpoint + lastSave };
                sinceCheckpoint.Restart();
            }
            AfterEpoch?.Invoke(epoch);
        }
        if (recipe.KeepBest && best is not null) ModelState.Restore(model, best);
        ModelState.Dispose(best);
        return new TrainingResult(epochs, bestEpoch, select.Description, time.Whole + clock.Elapsed.TotalSeconds, seen / Math.Max(time.Step, 1e-9),
            StoppedEarly: epochs.Count < recipe.Epochs, StepSeconds: time.Step, ResumedAfter: resumedAfter)
        {
            EvalSeconds = time.Eval, CheckpointSeconds = time.Checkpoint, FirstLosses = firstLosses,
        };
    }

    /// <summary>Where the time of a fit went, carried across a resume: the earlier whole, the training steps, evaluation, checkpoints.</summary>
    /// <summary>Time left for this training at the rate so far (epochs' evaluations included once one has run).</summary>
    private static string Eta(TimeSpan elapsed, long done, long remaining)
    {
        if (done == 0) return "ETA unknown";
        var left = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * remaining);
        return "ETA " + (left.TotalHours >= 1 ? $"{(int)left.TotalHours}h{left.Minutes:00}m" : left.TotalMinutes >= 1 ? $"{(int)left.TotalMinutes}m{left.Seconds:00}s" : $"{left.Seconds}s");
    }

    private sealed record Seconds(double Whole = 0, double Step = 0, double Eval = 0, double Checkpoint = 0);

    /// <summary>The loss sum when it is finite; otherwise stops with the first batch whose loss was not.</summary>
    private double Finite(double sum, int epoch, int batchesDone, Tensor batchLosses)
    {
        if (double.IsFinite(sum)) return sum;
        var losses = batchLosses.cpu().data<float>().Take(batchesDone).ToArray();
        int at = Array.FindIndex(losses, l => !float.IsFinite(l));
        var value = at >= 0 ? losses[at] : (float)sum;
        throw new TrainingDivergedException($"{Label}: the loss became {value.ToString(CultureInfo.InvariantCulture)} at epoch {epoch}, batch {(at >= 0 ? at + 1 : batchesDone)}. Lower the learning rate or check the inputs for NaN.");
    }

    private bool PatienceExhausted(int epochsDone, int bestEpoch) => recipe.Patience is { } p && epochsDone - bestEpoch >= p;

    private int BatchesPerEpoch()
    {
        int n = recipe.FullBatch ? 1 : Batches.CountOf(objective.TrainCount, recipe.BatchSize);
        return recipe.MaxBatches is { } max ? Math.Min(max, n) : n;
    }

    /// <summary>The CUDA generators' seed for one epoch: a mix of the run's seed and the epoch number.</summary>
    internal static long CudaEpochSeed(int seed, int epoch) => (long)(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)epoch * 0xBF58476D1CE4E5B9UL)) & long.MaxValue;

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
