using Harness.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>Inference over a data set in batches, in eval mode and without gradients.</summary>
public static class Evaluation
{
    /// <summary>The evaluation batch for a device (see the README's Speed section for how it was measured).</summary>
    public static int BatchSize(Device device) => device.type == DeviceType.CPU ? CpuBatchSize : GpuBatchSize;

    /// <summary>On a GPU large batches keep it busy; the data set's device decides (a split copied there is evaluated there).</summary>
    public const int GpuBatchSize = 1000;

    /// <summary>
    /// The fastest evaluation batch measured on the 2-core CPU machines of this project (harness bench --eval-batches):
    /// ex08 1.2's network 2,353 images/s at 128 against 1,124 at 1,000 (its 64×24×24 activations of large batches fall out
    /// of the caches), hw4 2(b)'s 3,699 against 3,199, the strided CNN of cm500335 4.1 3,151 against 3,551.
    /// </summary>
    public const int CpuBatchSize = 128;

    /// <summary>Mean cross-entropy and accuracy of a classifier; sums stay on the device and are read once at the end.</summary>
    public static (double Loss, double Accuracy) LossAndAccuracy(nn.Module<Tensor, Tensor> model, ImageDataSet data, Device device, int? batchSize = null)
    {
        using var lossSum = zeros(1, dtype: ScalarType.Float64, device: device);
        using var correct = zeros(1, dtype: ScalarType.Int64, device: device);
        InBatches(model, data, batchSize, idx =>
        {
            var x = data.Gather(idx).to(device);
            var y = data.Labels.index_select(0, idx).to(device);
            var logits = model.call(x);
            // loss × batch size in float32, summed in float64 in batch order: as a host-side sum would have it.
            lossSum.add_(nn.functional.cross_entropy(logits, y).mul(idx.shape[0]).to_type(ScalarType.Float64));
            correct.add_(logits.argmax(1).eq(y).sum());
        });
        return (lossSum.item<double>() / data.Count, (double)correct.item<long>() / data.Count);
    }

    /// <summary>Predicted class of every sample, in order.</summary>
    public static long[] Predict(nn.Module<Tensor, Tensor> model, ImageDataSet data, Device device, int? batchSize = null)
    {
        var result = new long[data.Count];
        int at = 0;
        InBatches(model, data, batchSize, idx =>
        {
            var pred = model.call(data.Gather(idx).to(device)).argmax(1).cpu();
            pred.data<long>().CopyTo(result, at);
            at += (int)idx.shape[0];
        });
        return result;
    }

    /// <summary>Mean squared error of the reconstructions to the clean images; inputs corrupted when asked (seeded per batch).</summary>
    public static double ReconstructionError(nn.Module<Tensor, Tensor> model, ImageDataSet data, Device device,
        Func<Tensor, long, Tensor>? corrupt = null, int? batchSize = null)
    {
        using var sum = zeros(1, dtype: ScalarType.Float64, device: device);
        long b = 0;
        InBatches(model, data, batchSize, idx =>
        {
            var clean = data.Gather(idx).to(device);
            var input = corrupt is null ? clean : corrupt(clean, b++);
            sum.add_(nn.functional.mse_loss(model.call(input), clean).mul(idx.shape[0]).to_type(ScalarType.Float64));
        });
        return sum.item<double>() / data.Count;
    }

    /// <summary>Runs <paramref name="batch"/> on consecutive index batches in eval mode without gradients, then restores the mode.</summary>
    private static void InBatches(nn.Module model, ImageDataSet data, int? batchSize, Action<Tensor> batch)
    {
        var device = data.Labels.device;
        var wasTraining = model.training;
        model.eval();
        using (no_grad())
            foreach (var idx in Batches.Sequential(data.Count, batchSize ?? BatchSize(device)))
            {
                using var scope = NewDisposeScope();
                batch(tensor(idx, dtype: ScalarType.Int64).to(device));
            }
        model.train(wasTraining);
    }
}
