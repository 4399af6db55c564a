using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Data;

/// <summary>
/// Images (N×C×H×W float32 in [0,1]) and labels (N, int64) held as tensors; subsets by index, never per-sample objects.
/// The tensors are owned by this object (it is cached and shared read-only; do not dispose them).
/// </summary>
public sealed class ImageDataSet
{
    public ImageDataSet(string name, Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        if (images.shape[0] != labels.shape[0]) throw new ArgumentException($"{name}: {images.shape[0]} images but {labels.shape[0]} labels");
        Name = name; Images = images; Labels = labels; ClassNames = classNames;
    }

    public string Name { get; }
    public Tensor Images { get; }
    public Tensor Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => (int)Images.shape[0];
    public int NumClasses => ClassNames.Count;

    /// <summary>A new set holding the given rows (copies; detached from this set's storage).</summary>
    public ImageDataSet Subset(long[] indices, string? name = null)
    {
        using var idx = tensor(indices, dtype: int64);
        return new ImageDataSet(name ?? Name, Images.index_select(0, idx).DisposeScopeless(), Labels.index_select(0, idx).DisposeScopeless(), ClassNames);
    }

    /// <summary>Labels as a managed array (for splits, metrics and counting).</summary>
    public long[] LabelArray() => Labels.data<long>().ToArray();

    public int[] ClassCounts()
    {
        var counts = new int[NumClasses];
        foreach (var l in LabelArray()) counts[l]++;
        return counts;
    }

    public ImageDataSet To(Device device) =>
        device.type == DeviceType.CPU ? this : new ImageDataSet(Name, Images.to(device).DisposeScopeless(), Labels.to(device).DisposeScopeless(), ClassNames);
}

internal static class TensorScopeExtensions
{
    /// <summary>Keeps a tensor alive beyond the current dispose scope (data sets outlive training steps).</summary>
    public static Tensor DisposeScopeless(this Tensor t) { t.MoveToOuterDisposeScope(); return t.DetachFromDisposeScope(); }
}
