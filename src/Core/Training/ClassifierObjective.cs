using Harness.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>
/// Classification with cross-entropy: a step gathers the batch's images and labels, augments the images when asked,
/// and counts correct predictions; after each epoch the validation and test splits (those given) are evaluated, and the
/// best epoch is the one with the highest validation accuracy (test accuracy when there is no validation split).
/// </summary>
/// <param name="augment">batch-level augmentation of training images, seeded by the batch's epoch and number</param>
public sealed class ClassifierObjective(nn.Module<Tensor, Tensor> model, ImageDataSet train, ImageDataSet? validation, ImageDataSet? test,
    Device device, Func<Tensor, Batch, Tensor>? augment = null, int evalBatchSize = 1000) : IObjective
{
    public int TrainCount => train.Count;

    public StepOutput Step(Batch batch)
    {
        var index = batch.Index();
        var x = (index is null ? train.Images : train.Images.index_select(0, index)).to(device);
        var y = (index is null ? train.Labels : train.Labels.index_select(0, index)).to(device);
        if (augment is not null) x = augment(x, batch);
        var logits = model.call(x);
        return new StepOutput(nn.functional.cross_entropy(logits, y), logits.argmax(1).eq(y).sum());
    }

    public IReadOnlyDictionary<string, double> Evaluate()
    {
        var m = new Dictionary<string, double>();
        if (validation is not null)
            (m[Metric.ValidationLoss], m[Metric.ValidationAccuracy]) = Evaluation.LossAndAccuracy(model, validation, device, evalBatchSize);
        if (test is not null)
            (m[Metric.TestLoss], m[Metric.TestAccuracy]) = Evaluation.LossAndAccuracy(model, test, device, evalBatchSize);
        return m;
    }

    public Selection Selection =>
        validation is not null ? Selection.Highest(Metric.ValidationAccuracy, "validation accuracy")
        : test is not null ? Selection.Highest(Metric.TestAccuracy, "test accuracy")
        : Selection.LastEpoch;

    public string Fingerprint => $"classifier|{train.Count}|{validation?.Count ?? 0}|{test?.Count ?? 0}|{augment is not null}";
}
