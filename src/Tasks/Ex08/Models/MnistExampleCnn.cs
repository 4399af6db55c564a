using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Ex08.Models;

/// <summary>
/// The network of the PyTorch MNIST example (Exercise sheet 08, Q1.2): conv 1→32 3×3, ReLU, conv 32→64 3×3, ReLU,
/// max-pool 2, dropout 0.25, flatten, fc 9216→128, ReLU, dropout 0.5, fc 128→10. 1,199,882 parameters.
/// With <c>batchNorm</c> (Q1.4) a BatchNorm follows conv1, conv2 and fc1.
/// </summary>
public sealed class MnistExampleCnn : Module<Tensor, Tensor>, ITraceable
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d? bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d? bn2;
    private readonly MaxPool2d pool;
    private readonly Dropout dropout1;
    private readonly Linear fc1;
    private readonly BatchNorm1d? bn3;
    private readonly Dropout dropout2;
    private readonly Linear fc2;

    /// <summary>The seed's widths: conv1 and conv2 channels, fc1 units.</summary>
    public const int Conv1Channels = 32, Conv2Channels = 64, Hidden = 128;

    public MnistExampleCnn(bool batchNorm = false) : base(batchNorm ? "MnistExampleCnnBn" : "MnistExampleCnn")
    {
        conv1 = Conv2d(1, Conv1Channels, 3);
        conv2 = Conv2d(Conv1Channels, Conv2Channels, 3);
        pool = MaxPool2d(2);
        dropout1 = Dropout(0.25);
        fc1 = Linear(Conv2Channels * 12 * 12, Hidden);
        dropout2 = Dropout(0.5);
        fc2 = Linear(Hidden, 10);
        if (batchNorm) { bn1 = BatchNorm2d(Conv1Channels); bn2 = BatchNorm2d(Conv2Channels); bn3 = BatchNorm1d(Hidden); }
        RegisterComponents();
    }

    /// <summary>Weights and biases of the output layer fc2.</summary>
    public const int OutputParameters = (Hidden + 1) * 10;
    /// <summary>Scales and shifts of the three BatchNorm layers (2 per normalised channel or unit).</summary>
    public const int BatchNormParameters = 2 * (Conv1Channels + Conv2Channels + Hidden);

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = conv1.call(x); yield return ("conv1", x);
        if (bn1 is not null) { x = bn1.call(x); yield return ("bn1", x); }
        x = functional.relu(x);
        x = conv2.call(x); yield return ("conv2", x);
        if (bn2 is not null) { x = bn2.call(x); yield return ("bn2", x); }
        x = functional.relu(x);
        x = pool.call(x); yield return ("pool", x);
        x = dropout1.call(x).flatten(1); yield return ("dropout1+flatten", x);
        x = fc1.call(x); yield return ("fc1", x);
        if (bn3 is not null) { x = bn3.call(x); yield return ("bn3", x); }
        x = functional.relu(x); yield return ("fc1_features", x);
        x = dropout2.call(x);
        x = fc2.call(x); yield return ("fc2", x);
    }
}
