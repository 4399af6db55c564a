using System.Collections.Concurrent;
using System.Globalization;
using Harness.Core.Configuration;
using Harness.Core.Data;
using Harness.Core.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Grading;

/// <summary>
/// What a task's <see cref="IGradedTask.Measure"/> sees: the options (data roots, seed), the profile whose held-out split
/// and thresholds grade (full unless asked otherwise), the device, the data, and the builders for what it records —
/// values, checks and accuracies (with their counts and confusion matrix).
/// </summary>
public sealed class SubmissionContext
{
    // Every submission of a task is measured on the same images: prepared once per process.
    private static readonly ConcurrentDictionary<string, ImageDataSet> HeldOutCache = new();
    private readonly TaskMeasurement _sink;
    private readonly DateTime _deadline;
    private readonly double _limit;

    internal SubmissionContext(HarnessOptions options, Profile profile, Device device, DataSets data, DateTime deadlineUtc, double limitSeconds, TaskMeasurement sink)
    {
        Options = options; Profile = profile; Device = device; Data = data; _deadline = deadlineUtc; _limit = limitSeconds; _sink = sink;
    }

    public HarnessOptions Options { get; }
    /// <summary>The profile graded at: its held-out split and its thresholds (full, the seed's own, unless a dry run asks for smoke).</summary>
    public Profile Profile { get; }
    /// <summary>The seed of the reference runs (it picks the same subsets and standardisation).</summary>
    public int Seed => Options.Seed;
    public Device Device { get; }
    public DataSets Data { get; }

    public void Value(string name, double value) => _sink.Values[name] = value;
    public void Check(string name, bool holds, string finding) => _sink.Check(name, holds, finding);
    public void Note(string text) => _sink.Notes.Add(text);

    /// <summary>The held-out split named <paramref name="key"/> for this profile and seed, prepared once per process.</summary>
    public ImageDataSet HeldOut(string key, Func<ImageDataSet> prepare) => HeldOutCache.GetOrAdd($"{key}|{Profile}|{Seed}", _ => prepare());

    /// <summary>Throws <see cref="BudgetExceededException"/> once the submission's time is up.</summary>
    public void CheckTime(string doing)
    {
        if (DateTime.UtcNow > _deadline)
            throw new BudgetExceededException($"stopped {doing}: the submission used up its time budget of {_limit.ToString("0", CultureInfo.InvariantCulture)} s");
    }

    /// <summary>
    /// The model's accuracy on <paramref name="data"/>, recorded as value <paramref name="value"/> (a fraction, as the
    /// reference run records it) with the counts it came from and the confusion matrix. Images whose logits are not
    /// finite count as wrong unless their arg-max is right, and are noted.
    /// </summary>
    public double Accuracy(string value, nn.Module<Tensor, Tensor> model, ImageDataSet data)
    {
        int classes = data.NumClasses, n = data.Count;
        var confusion = new int[classes][];
        for (int i = 0; i < classes; i++) confusion[i] = new int[classes];
        var labels = data.LabelArray();
        long correct = 0, nonFinite = 0;
        int at = 0;
        model.eval();
        using (no_grad())
            foreach (var idx in Batches.Sequential(n, Evaluation.BatchSize(Device)))
            {
                CheckTime($"after {at:N0} of {n:N0} held-out images");
                using var scope = NewDisposeScope();
                using var index = tensor(idx, dtype: ScalarType.Int64);
                var logits = model.call(data.Gather(index).to(Device));
                if (logits.dim() != 2 || logits.shape[0] != idx.Length || logits.shape[1] != classes)
                    throw new InvalidOperationException($"the model gives outputs of shape [{string.Join(", ", logits.shape)}] for a batch of {idx.Length} images; {classes} logits per image are needed");
                nonFinite += logits.isfinite().all(1).logical_not().sum().item<long>();
                var predicted = logits.argmax(1).cpu().data<long>().ToArray();
                for (int i = 0; i < predicted.Length; i++)
                {
                    var truth = labels[at + i];
                    confusion[truth][predicted[i]]++;
                    if (predicted[i] == truth) correct++;
                }
                at += predicted.Length;
            }
        var accuracy = (double)correct / n;
        _sink.Values[value] = accuracy;
        _sink.Accuracies.Add(new AccuracyCount(value, correct, n));
        _sink.Confusion = new ConfusionData(data.Name, data.ClassNames, confusion);
        if (nonFinite > 0) Note($"{nonFinite:N0} of {n:N0} held-out images gave non-finite logits (NaN or infinity)");
        return accuracy;
    }
}
