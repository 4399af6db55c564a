using Harness.Core.Data;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>Inference over a data set in batches, in eval mode and without gradients.</summary>
public static class Evaluation
{
    public static (double Loss, double Accuracy) LossAndAccuracy(nn.Module<Tensor, Tensor> model, ImageDataSet data, Device device,
        int batchSize = 1000, Func<Tensor, Tensor, Tensor>? loss = null)
    {
        loss ??= (l, y) => nn.functional.cross_entropy(l, y);
        var wasTraining = model.training;
        model.eval();
        double lossSum = 0; long correct = 0;
        using (no_grad())
            foreach (var idx in Batches.Sequential(data.Count, batchSize))
            {
                using var scope = NewDisposeScope();
                using var index = tensor(idx, dtype: int64);
                var x = data.Images.index_select(0, index).to(device);
                var y = data.Labels.index_select(0, index).to(device);
                var logits = model.call(x);
                lossSum += loss(logits, y).item<float>() * idx.Length;
                correct += logits.argmax(1).eq(y).sum().item<long>();
            }
        model.train(wasTraining);
        return (lossSum / data.Count, (double)correct / data.Count);
    }

    /// <summary>Predicted class of every sample, in order.</summary>
    public static long[] Predict(nn.Module<Tensor, Tensor> model, ImageDataSet data, Device device, int batchSize = 1000)
    {
        var wasTraining = model.training;
        model.eval();
        var result = new long[data.Count];
        int at = 0;
        using (no_grad())
            foreach (var idx in Batches.Sequential(data.Count, batchSize))
            {
                using var scope = NewDisposeScope();
                using var index = tensor(idx, dtype: int64);
                var pred = model.call(data.Images.index_select(0, index).to(device)).argmax(1).cpu();
                pred.data<long>().CopyTo(result, at);
                at += idx.Length;
            }
        model.train(wasTraining);
        return result;
    }
}
