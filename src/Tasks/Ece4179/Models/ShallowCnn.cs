using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Ece4179.Models;

/// <summary>
/// The shallow CNN of the seed's Table 1 for 96×96×3 images: conv1 3→96 7×7 stride 2, ReLU; conv2 96→64 5×5 stride 2,
/// ReLU; conv3 64→128 3×3 stride 2, ReLU; max-pool 3×3 stride 3; flatten; fc1 1152→128, ReLU; fc2 128→10. No padding:
/// 96 → 45 → 21 → 10 → 3.
/// </summary>
public sealed class ShallowCnn : Module<Tensor, Tensor>, ITraceable
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Conv2d conv3;
    private readonly MaxPool2d pool;
    private readonly Linear fc1;
    private readonly Linear fc2;

    public ShallowCnn(int classes = 10) : base(nameof(ShallowCnn))
    {
        conv1 = Conv2d(3, 96, 7, stride: 2);
        conv2 = Conv2d(96, 64, 5, stride: 2);
        conv3 = Conv2d(64, 128, 3, stride: 2);
        pool = MaxPool2d(3, stride: 3);
        fc1 = Linear(128 * 3 * 3, 128);
        fc2 = Linear(128, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = functional.relu(conv1.call(x));
        x = functional.relu(conv2.call(x));
        x = functional.relu(conv3.call(x));
        x = pool.call(x).flatten(1);
        return fc2.call(functional.relu(fc1.call(x)));
    }

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = functional.relu(conv1.call(x)); yield return ("conv1", x);
        x = functional.relu(conv2.call(x)); yield return ("conv2", x);
        x = functional.relu(conv3.call(x)); yield return ("conv3", x);
        x = pool.call(x); yield return ("pool", x);
        x = x.flatten(1); yield return ("flatten", x);
        x = functional.relu(fc1.call(x)); yield return ("fc1", x);
        x = fc2.call(x); yield return ("fc2", x);
    }
}
