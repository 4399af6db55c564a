using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Cm500335.Models;

/// <summary>
/// Task 6.1's single-task Fashion-MNIST network: conv 32, 64, 128 (3×3, stride 1, same padding, ReLU), 2×2 max-pooling
/// after conv1 and conv2 (28 → 14 → 7), flatten (128·7·7 = 6,272), dense layers of 3,136, 1,024 and 100 units (ReLU)
/// and an output layer of <c>classes</c> logits (10 items or 3 groups). The dense widths can be narrowed (the smoke
/// profile trains [392, 128, 100] so that CI stays within its time budget); the default is the brief's.
/// </summary>
public sealed class FashionCnn : Module<Tensor, Tensor>, ITraceable
{
    private readonly Conv2d conv1, conv2, conv3;
    private readonly MaxPool2d pool1, pool2;
    private readonly Linear fc1, fc2, fc3, output;

    public static readonly int[] BriefDense = { 3136, 1024, 100 };

    /// <summary>A forward pass's multiply-accumulates per image (convolutions at 28², 14², 7², then the dense layers), for time estimates.</summary>
    public static double MultiplyAccumulates(IReadOnlyList<int> dense, int classes) =>
        9.0 * (1 * 32 * 28 * 28 + 32 * 64 * 14 * 14 + 64 * 128 * 7 * 7) + DenseWeights(dense, classes);

    /// <summary>Trainable weights (biases included).</summary>
    public static double Weights(IReadOnlyList<int> dense, int classes) =>
        9.0 * (1 * 32 + 32 * 64 + 64 * 128) + 32 + 64 + 128 + DenseWeights(dense, classes) + dense.Sum() + classes;

    private static double DenseWeights(IReadOnlyList<int> dense, int classes) =>
        128.0 * 7 * 7 * dense[0] + (double)dense[0] * dense[1] + (double)dense[1] * dense[2] + (double)dense[2] * classes;

    public FashionCnn(int classes, IReadOnlyList<int>? dense = null) : base("FashionCnn")
    {
        conv1 = Conv2d(1, 32, 3, padding: 1);
        pool1 = MaxPool2d(2);
        conv2 = Conv2d(32, 64, 3, padding: 1);
        pool2 = MaxPool2d(2);
        conv3 = Conv2d(64, 128, 3, padding: 1);
        var d = dense ?? BriefDense;
        fc1 = Linear(128 * 7 * 7, d[0]);
        fc2 = Linear(d[0], d[1]);
        fc3 = Linear(d[1], d[2]);
        output = Linear(d[2], classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = functional.relu(conv1.call(x)); yield return ("conv1", x);
        x = pool1.call(x); yield return ("pool1", x);
        x = functional.relu(conv2.call(x)); yield return ("conv2", x);
        x = pool2.call(x); yield return ("pool2", x);
        x = functional.relu(conv3.call(x)); yield return ("conv3", x);
        x = x.flatten(1); yield return ("flatten", x);
        x = functional.relu(fc1.call(x)); yield return ("fc1", x);
        x = functional.relu(fc2.call(x)); yield return ("fc2", x);
        x = functional.relu(fc3.call(x)); yield return ("fc3", x);
        x = output.call(x); yield return ("output", x);
    }
}
