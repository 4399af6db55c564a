using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Harness.Tasks.Cm500335.Models;

/// <summary>
/// Task 6.2's multi-task network: the convolutions of <see cref="FashionCnn"/> and its dense layer of 3,136 units are
/// shared; two heads of [1,024, 100, classes] units predict the item (10 classes) and its group (3 classes).
/// The dense widths can be narrowed like <see cref="FashionCnn"/>'s (smoke profile). Parameters are named shared_*, item_* and group_* so that a head's weights can be compared before and after training.
/// </summary>
public sealed class MultiTaskFashionCnn : Module<Tensor, (Tensor Item, Tensor Group)>
{
    private readonly Conv2d shared_conv1, shared_conv2, shared_conv3;
    private readonly MaxPool2d pool1, pool2;
    private readonly Linear shared_fc1;
    private readonly Linear item_fc2, item_fc3, item_output;
    private readonly Linear group_fc2, group_fc3, group_output;

    public MultiTaskFashionCnn(IReadOnlyList<int>? dense = null, int items = 10, int groups = 3) : base("MultiTaskFashionCnn")
    {
        shared_conv1 = Conv2d(1, 32, 3, padding: 1);
        pool1 = MaxPool2d(2);
        shared_conv2 = Conv2d(32, 64, 3, padding: 1);
        pool2 = MaxPool2d(2);
        shared_conv3 = Conv2d(64, 128, 3, padding: 1);
        var d = dense ?? FashionCnn.BriefDense;
        shared_fc1 = Linear(128 * 7 * 7, d[0]);
        item_fc2 = Linear(d[0], d[1]); item_fc3 = Linear(d[1], d[2]); item_output = Linear(d[2], items);
        group_fc2 = Linear(d[0], d[1]); group_fc3 = Linear(d[1], d[2]); group_output = Linear(d[2], groups);
        RegisterComponents();
    }

    public override (Tensor Item, Tensor Group) forward(Tensor x)
    {
        x = pool1.call(functional.relu(shared_conv1.call(x)));
        x = pool2.call(functional.relu(shared_conv2.call(x)));
        x = functional.relu(shared_conv3.call(x)).flatten(1);
        var h = functional.relu(shared_fc1.call(x));
        var item = item_output.call(functional.relu(item_fc3.call(functional.relu(item_fc2.call(h)))));
        var group = group_output.call(functional.relu(group_fc3.call(functional.relu(group_fc2.call(h)))));
        return (item, group);
    }
}
