using Harness.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>
/// Classification with cross-entropy: a step gathers the batch's images and labels, augments the images when asked,
/// and counts correct predictions; after each epoch the validation and test splits (those given) are evaluated, and the
/// best epoch is the one with the highest validation accuracy (test accuracy when there is no validation split).
/// <para>On a GPU the splits are copied to the device once (when they fit) and batches are gathered there.</para>
/// </summary>
/// <param name="augment">batch-level augmentation of training images, seeded by the batch's epoch and number</param>
/// <param name="evalBatchSize">batch of the evaluation passes; by default the fastest measured for the device (<see cref="Evaluation.BatchSize"/>)</param>
public sealed class ClassifierObjective(nn.Module<Tensor, Tensor> model, ImageDataSet train, ImageDataSet? validation, ImageDataSet? test,
    Device device, Func<Tensor, Batch, Tensor>? augment = null, int? evalBatchSize = null) : IObjective
{
    private readonly ImageDataSet _train = OnDevice(train, device);
    private readonly ImageDataSet? _validation = validation is null ? null : OnDevice(validation, device);
    private readonly ImageDataSet? _test = test is null ? null : OnDevice(test, device);
    private readonly int? _evalBatch = evalBatchSize;

    public int TrainCount => train.Count;

    public StepOutput Step(Batch batch)
    {
        var train = _train;
        var index = batch.Index()?.to(train.Labels.device);
        var x = (index is null ? train.Images : train.Gather(index)).to(device);
        var y = (index is null ? train.Labels : train.Labels.index_select(0, index)).to(device);
        if (augment is not null) x = augment(x, batch);
        var logits = model.call(x);
        return new StepOutput(nn.functional.cross_entropy(logits, y), logits.argmax(1).eq(y).sum());
    }

    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var m = new Dictionary<string, double>();
        if (_validation is not null)
            (m[Metric.ValidationLoss], m[Metric.ValidationAccuracy]) = Evaluation.LossAndAccuracy(model, _validation, device, _evalBatch);
        if (_test is not null)
            (m[Metric.TestLoss], m[Metric.TestAccuracy]) = Evaluation.LossAndAccuracy(model, _test, device, _evalBatch);
        return m;
    }

    public Selection Selection =>
        validation is not null ? Selection.Highest(Metric.ValidationAccuracy, "validation accuracy")
        : test is not null ? Selection.Highest(Metric.TestAccuracy, "test accuracy")
        : Selection.LastEpoch;

    /// <summary>A GPU copy of a split that fits in a few GiB (batches are then gathered on the device); on the CPU the split itself.</summary>
    internal static ImageDataSet OnDevice(ImageDataSet data, Device device) =>
        device.type == DeviceType.CPU || (long)data.Count * data.ImageShape.Aggregate(1L, (a, b) => a * b) * sizeof(float) > DeviceResidentLimit ? data : data.To(device);

    /// <summary>Splits larger than this stay on the host and are copied batch by batch.</summary>
    public const long DeviceResidentLimit = 4L << 30;

    public string Fingerprint => $"classifier|{train.Count}|{validation?.Count ?? 0}|{test?.Count ?? 0}|{augment is not null}";
}
