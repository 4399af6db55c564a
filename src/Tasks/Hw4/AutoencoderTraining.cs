using TorchSharp;
using System.Diagnostics;
using Harness.Core.Data;
using Harness.Core.Training;
using Harness.Tasks.Hw4.Models;
using static TorchSharp.torch;

namespace Harness.Tasks.Hw4;

/// <summary>Epochs, batch size and Adam learning rate of an autoencoder.</summary>
public sealed record AutoencoderSettings(int Epochs, int BatchSize, double LearningRate);

/// <summary>Mean squared reconstruction error per epoch (training batches as trained, test set clean → clean).</summary>
public sealed record AutoencoderResult(double[] TrainMse, double[] TestMse, double Seconds);

/// <summary>
/// Trains an autoencoder with Adam on the mean squared error to the clean image. With <c>corrupt</c> the inputs are
/// corrupted (a denoising autoencoder) while the targets stay clean; the corruption is seeded by the batch number.
/// </summary>
public static class AutoencoderTraining
{
    public static AutoencoderResult Train(ConvAutoencoder model, ImageDataSet train, ImageDataSet test, AutoencoderSettings s, int seed,
        Device device, IProgressSink progress, string label, Func<Tensor, long, Tensor>? corrupt = null)
    {
        model.to(device);
        var clock = Stopwatch.StartNew();
        using var opt = optim.Adam(model.parameters(), s.LearningRate);
        var trainMse = new List<double>(); var testMse = new List<double>();
        long batchNumber = 0;
        for (int epoch = 1; epoch <= s.Epochs; epoch++)
        {
            model.train();
            double sum = 0; long seen = 0;
            using (var bar = progress.Start($"{label} epoch {epoch}/{s.Epochs}", Batches.CountOf(train.Count, s.BatchSize)))
                foreach (var idx in Batches.Shuffled(train.Count, s.BatchSize, seed, epoch))
                {
                    using var scope = NewDisposeScope();
                    var clean = train.Images.index_select(0, tensor(idx)).to(device);
                    var input = corrupt is null ? clean : corrupt(clean, batchNumber);
                    batchNumber++;
                    opt.zero_grad();
                    var loss = nn.functional.mse_loss(model.call(input), clean);
                    loss.backward();
                    opt.step();
                    sum += loss.item<float>() * idx.Length;
                    seen += idx.Length;
                    bar.Advance(1, $"mse {sum / seen:0.0000}"); // running mean of the batches so far
                }
            trainMse.Add(sum / train.Count);
            testMse.Add(Mse(model, test, device));
            progress.Message($"{label} epoch {epoch}: train MSE {trainMse[^1]:0.00000}, test MSE {testMse[^1]:0.00000}");
        }
        return new AutoencoderResult(trainMse.ToArray(), testMse.ToArray(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>Mean squared error of the reconstructions to the clean images; inputs corrupted when asked (seeded per batch).</summary>
    public static double Mse(ConvAutoencoder model, ImageDataSet data, Device device, Func<Tensor, long, Tensor>? corrupt = null, int batchSize = 500)
    {
        var wasTraining = model.training;
        model.eval();
        double sum = 0; long b = 0;
        using (no_grad())
            foreach (var idx in Batches.Sequential(data.Count, batchSize))
            {
                using var scope = NewDisposeScope();
                var clean = data.Images.index_select(0, tensor(idx)).to(device);
                var input = corrupt is null ? clean : corrupt(clean, b++);
                sum += nn.functional.mse_loss(model.call(input), clean).item<float>() * idx.Length;
            }
        model.train(wasTraining);
        return sum / data.Count;
    }
}
