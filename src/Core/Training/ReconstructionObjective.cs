using Harness.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Training;

/// <summary>
/// An autoencoder's objective: the mean squared error between the reconstruction and the clean image. With
/// <c>corrupt</c> the inputs are corrupted (a denoising autoencoder) while the targets stay clean; the corruption is
/// seeded by the batch's number within the run. After each epoch the test images are reconstructed (clean → clean);
/// "train_loss" and "test_loss" are MSEs, and the last epoch is kept.
/// </summary>
public sealed class ReconstructionObjective(nn.Module<Tensor, Tensor> model, ImageDataSet train, ImageDataSet test, Device device,
    Func<Tensor, long, Tensor>? corrupt = null) : IObjective
{
    public int TrainCount => train.Count;

    public StepOutput Step(Batch batch)
    {
        var clean = train.Gather(batch.Index()!).to(device);
        var input = corrupt is null ? clean : corrupt(clean, batch.Global);
        return new StepOutput(nn.functional.mse_loss(model.call(input), clean));
    }

    public IReadOnlyDictionary<string, double> Evaluate() =>
        new Dictionary<string, double> { [Metric.TestLoss] = Evaluation.ReconstructionError(model, test, device) };

    public Selection Selection => Selection.LastEpoch;
    public string Fingerprint => $"reconstruction|{train.Count}|{test.Count}|{corrupt is not null}";
}
