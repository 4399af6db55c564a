using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Hw4.Models;

/// <summary>
/// Problem 2: a small CNN with three hidden layers — conv 3×3 (c1 channels, padding 1) → ReLU → max-pool 2,
/// conv 3×3 (c2 channels) → ReLU → max-pool 2, fully connected (f units) → ReLU — and the 10-way output layer.
/// 2(d) switches on batch normalisation after each hidden layer and dropout (after each pooling and before the
/// output) and may widen it; with everything off it is 2(b)'s network (32, 64, 128: 421,642 parameters).
/// </summary>
public sealed class SmallFashionCnn : Module<Tensor, Tensor>, ITraceable
{
    public sealed record Options(int Conv1 = 32, int Conv2 = 64, int Hidden = 128, bool BatchNorm = false, double ConvDropout = 0, double FcDropout = 0);

    public const int HiddenLayers = 3;
    private readonly Conv2d conv1;
    private readonly BatchNorm2d? bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d? bn2;
    private readonly MaxPool2d pool;
    private readonly Dropout? drop_conv;
    private readonly Linear fc1;
    private readonly BatchNorm1d? bn3;
    private readonly Dropout? drop_fc;
    private readonly Linear fc2;

    public SmallFashionCnn(Options o) : base(nameof(SmallFashionCnn))
    {
        conv1 = Conv2d(1, o.Conv1, 3, padding: 1);
        conv2 = Conv2d(o.Conv1, o.Conv2, 3, padding: 1);
        pool = MaxPool2d(2);
        fc1 = Linear(o.Conv2 * 7 * 7, o.Hidden);
        fc2 = Linear(o.Hidden, 10);
        if (o.BatchNorm) { bn1 = BatchNorm2d(o.Conv1); bn2 = BatchNorm2d(o.Conv2); bn3 = BatchNorm1d(o.Hidden); }
        if (o.ConvDropout > 0) drop_conv = Dropout(o.ConvDropout);
        if (o.FcDropout > 0) drop_fc = Dropout(o.FcDropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Trace(x).Last().Output;

    public IEnumerable<(string Name, Tensor Output)> Trace(Tensor x)
    {
        x = conv1.call(x); yield return ("conv1", x);
        if (bn1 is not null) { x = bn1.call(x); yield return ("bn1", x); }
        x = pool.call(functional.relu(x)); yield return ("relu+pool", x);
        if (drop_conv is not null) x = drop_conv.call(x);
        x = conv2.call(x); yield return ("conv2", x);
        if (bn2 is not null) { x = bn2.call(x); yield return ("bn2", x); }
        x = pool.call(functional.relu(x)); yield return ("relu+pool ", x);
        if (drop_conv is not null) x = drop_conv.call(x);
        x = fc1.call(x.flatten(1)); yield return ("fc1", x);
        if (bn3 is not null) { x = bn3.call(x); yield return ("bn3", x); }
        x = functional.relu(x);
        if (drop_fc is not null) x = drop_fc.call(x);
        x = fc2.call(x); yield return ("fc2", x);
    }
}
