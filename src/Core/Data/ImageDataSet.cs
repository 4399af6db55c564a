using TorchSharp;
using static TorchSharp.torch;

namespace Harness.Core.Data;

/// <summary>
/// Images (N×C×H×W float32 in [0,1], or any float range after a task's own scaling) and labels (N, int64) held as
/// tensors; subsets by index, never per-sample objects. A set loaded from disk keeps its pixels as bytes and turns
/// only what is used into floats: <see cref="Gather"/> and <see cref="Subset"/> convert the chosen rows, and the full
/// float tensor (<see cref="Images"/>) is made on first use. The tensors are owned by this object (data sets are
/// cached and shared read-only; do not dispose or modify them in place — subsets are copies).
/// </summary>
public sealed class ImageDataSet
{
    private readonly Tensor? _bytes;
    private Tensor? _images;

    public ImageDataSet(string name, Tensor images, Tensor labels, IReadOnlyList<string> classNames)
    {
        if (images.shape[0] != labels.shape[0]) throw new ArgumentException($"{name}: {images.shape[0]} images but {labels.shape[0]} labels");
        Name = name; _images = images; Labels = labels; ClassNames = classNames;
    }

    private ImageDataSet(string name, Tensor bytes, Tensor labels, IReadOnlyList<string> classNames, bool fromBytes)
    {
        if (bytes.shape[0] != labels.shape[0]) throw new ArgumentException($"{name}: {bytes.shape[0]} images but {labels.shape[0]} labels");
        Name = name; _bytes = bytes; Labels = labels; ClassNames = classNames;
    }

    /// <summary>A set over uint8 pixels (N×C×H×W, 0–255), shown to tasks as floats x/255.</summary>
    public static ImageDataSet FromBytes(string name, Tensor bytes, Tensor labels, IReadOnlyList<string> classNames) =>
        new(name, bytes, labels, classNames, fromBytes: true);

    public string Name { get; }
    /// <summary>Every image as float32 (made once, on first use, for sets loaded as bytes).</summary>
    public Tensor Images => _images ??= ToFloat(_bytes!).DisposeScopeless();
    public Tensor Labels { get; }
    public IReadOnlyList<string> ClassNames { get; }
    public int Count => (int)(_images ?? _bytes!).shape[0];
    public int NumClasses => ClassNames.Count;
    /// <summary>The shape of one image (C, H, W).</summary>
    public long[] ImageShape => (_images ?? _bytes!).shape.Skip(1).ToArray();

    /// <summary>The float images of the given rows (the caller's dispose scope owns the result); only those rows are converted.</summary>
    public Tensor Gather(Tensor index) => _images is not null || _bytes is null ? Images.index_select(0, index) : ToFloat(_bytes.index_select(0, index));

    /// <summary>A new set holding the given rows as floats (copies; detached from this set's storage).</summary>
    public ImageDataSet Subset(long[] indices, string? name = null)
    {
        using var idx = tensor(indices, dtype: ScalarType.Int64);
        return new ImageDataSet(name ?? Name, Gather(idx).DisposeScopeless(), Labels.index_select(0, idx).DisposeScopeless(), ClassNames);
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

    /// <summary>Pixels 0–255 → float32 in [0,1] (the division of the canonical loaders, element for element).</summary>
    private static Tensor ToFloat(Tensor bytes) => bytes.to_type(ScalarType.Float32).div_(255f);
}

internal static class TensorScopeExtensions
{
    /// <summary>Keeps a tensor alive beyond the current dispose scope (data sets outlive training steps).</summary>
    public static Tensor DisposeScopeless(this Tensor t) { t.MoveToOuterDisposeScope(); return t.DetachFromDisposeScope(); }
}
